package io.chainsnap.events;

import io.chainsnap.domain.QuiesceStrategy;
import java.time.Instant;

/**
 * A snapshot was taken and its archive is staged.
 *
 * @param snapshotId unique, sortable id, e.g. {@code litecoin-regtest-full-20261121t223300123z-503}
 * @param target what it is of
 * @param height block height the data dir restores to
 * @param blockHash hash of that block
 * @param clientVersion node software that wrote the data
 * @param takenAt when the data dir was captured
 * @param quiesce how the node was quiesced
 * @param nodeDowntimeMillis how long the node was not serving
 * @param archive the staged archive
 */
public record SnapshotCreated(
    String snapshotId,
    SnapshotTarget target,
    long height,
    String blockHash,
    String clientVersion,
    Instant takenAt,
    QuiesceStrategy quiesce,
    long nodeDowntimeMillis,
    ArchiveRef archive)
    implements EventData {
  @Override
  public String key() {
    return snapshotId;
  }
}
