package io.chainsnap.publisher.page;

import io.chainsnap.archive.SnapshotIndex;
import io.chainsnap.domain.Mode;
import io.chainsnap.domain.VerificationStatus;
import io.chainsnap.publisher.config.PublisherConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * When a chain/network counts as stale: its newest verified snapshot of a mode was taken longer ago
 * than {@code stale-after} ({@code publisher.page.stale-after}, or {@code
 * publisher.page.stale-after-for."<chain>/<network>"}).
 *
 * @param staleAfter the default
 * @param staleAfterFor per {@code "<chain>/<network>"}
 */
public record StalePolicy(Duration staleAfter, Map<String, Duration> staleAfterFor) {

  /** What the page says of one mode. */
  public enum State {
    /** The newest verified snapshot is recent enough. */
    FRESH,
    /** The newest verified snapshot is older than {@code stale-after}. */
    STALE,
    /** Snapshots of the mode are listed, none verified. */
    NO_VERIFIED_SNAPSHOT
  }

  /**
   * The state of one mode of an index.
   *
   * @param mode the mode
   * @param state fresh, stale or none verified
   * @param newestVerified the newest verified snapshot, empty when none
   * @param staleAfter the allowance that applied
   */
  public record ModeStatus(
      Mode mode, State state, Optional<SnapshotIndex.Entry> newestVerified, Duration staleAfter) {}

  /** Checks the allowances: each one positive, keys {@code <chain>/<network>}. */
  public StalePolicy {
    staleAfterFor = Map.copyOf(staleAfterFor);
    require("publisher.page.stale-after", staleAfter);
    staleAfterFor.forEach(
        (key, value) -> {
          if (key.split("/", -1).length != 2 || key.startsWith("/") || key.endsWith("/")) {
            throw new IllegalArgumentException(
                "invalid configuration publisher.page.stale-after-for.\""
                    + key
                    + "\": the key must be \"<chain>/<network>\"");
          }
          require("publisher.page.stale-after-for.\"" + key + "\"", value);
        });
  }

  /** The policy of the configuration. */
  public static StalePolicy of(PublisherConfig.Page config) {
    return new StalePolicy(config.staleAfter(), config.staleAfterFor());
  }

  /** The allowance of {@code chain/network}. */
  public Duration staleAfter(String chain, String network) {
    return staleAfterFor.getOrDefault(chain + "/" + network, staleAfter);
  }

  /**
   * The state of every mode the index lists a snapshot of (in {@link Mode} order), at {@code now}.
   */
  public List<ModeStatus> statuses(SnapshotIndex index, Instant now) {
    Duration allowed = staleAfter(index.chain(), index.network());
    Set<Mode> modes = EnumSet.noneOf(Mode.class);
    List<SnapshotIndex.Entry> entries = index.snapshots() == null ? List.of() : index.snapshots();
    entries.stream().map(SnapshotIndex.Entry::mode).filter(m -> m != null).forEach(modes::add);
    List<ModeStatus> statuses = new ArrayList<>();
    for (Mode mode : modes) {
      Optional<SnapshotIndex.Entry> newest =
          entries.stream()
              .filter(e -> e.mode() == mode && e.takenAt() != null)
              .filter(
                  e ->
                      e.verification() != null
                          && e.verification().status() == VerificationStatus.VERIFIED)
              .max(Comparator.comparing(SnapshotIndex.Entry::takenAt));
      State state =
          newest.isEmpty()
              ? State.NO_VERIFIED_SNAPSHOT
              : now.isAfter(newest.get().takenAt().plus(allowed)) ? State.STALE : State.FRESH;
      statuses.add(new ModeStatus(mode, state, newest, allowed));
    }
    return statuses;
  }

  private static void require(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(
          "invalid configuration " + name + ": must be a positive duration, is " + value);
    }
  }
}
