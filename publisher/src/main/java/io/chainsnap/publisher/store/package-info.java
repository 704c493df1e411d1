/**
 * Object storage of archives, manifests, the catalog and the index: {@link
 * io.chainsnap.publisher.store.ArchiveStore}.
 */
package io.chainsnap.publisher.store;
