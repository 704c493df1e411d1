/**
 * Finding snapshots: {@link io.chainsnap.cli.catalog.Catalog} reads {@code index.json}, picks a
 * snapshot and ties its {@code snapshot.json} to the index entry.
 */
package io.chainsnap.cli.catalog;
