/**
 * A snapshot run: the runner (one entry for every trigger, one run per target, refusals as {@code
 * snapshot-skipped}), the health gate, and the service that orchestrates gate, quiesce, staging and
 * the {@code snapshot-created} event.
 */
package io.chainsnap.snapshotter.service;
