package io.chainsnap.publisher.service;

import io.chainsnap.domain.Mode;
import io.chainsnap.domain.QuiesceStrategy;
import io.chainsnap.domain.RejectionStage;
import io.chainsnap.events.ArchiveRef;
import io.chainsnap.events.SnapshotCreated;
import io.chainsnap.events.SnapshotPinned;
import io.chainsnap.events.SnapshotRejected;
import io.chainsnap.events.SnapshotTarget;
import io.chainsnap.events.SnapshotUploaded;
import io.chainsnap.events.SnapshotVerified;
import java.time.Instant;

/** Valid events of one made-up snapshot for the publisher's unit tests. */
final class Events {
  static final String HASH = "91280346e339bbc6614a0baf04b1a257da8b197b0b55ced010ad075270eac7cb";
  static final String SHA = "a".repeat(64);
  static final Instant T0 = Instant.parse("2026-11-21T22:33:00Z");

  private Events() {}

  static SnapshotTarget target(Mode mode) {
    return new SnapshotTarget("litecoin", "regtest", mode);
  }

  /** The id of the snapshot taken {@code minutes} after {@link #T0} at height {@code height}. */
  static String id(Mode mode, int minutes) {
    return "litecoin-regtest-" + mode + "-" + minutes;
  }

  static SnapshotCreated created(Mode mode, int minutes) {
    return new SnapshotCreated(
        id(mode, minutes),
        target(mode),
        100 + minutes,
        HASH,
        "/LitecoinCore:0.21.2.1/",
        T0.plusSeconds(60L * minutes),
        QuiesceStrategy.STOP,
        1000,
        new ArchiveRef(
            "http://staging/" + id(mode, minutes) + "/snapshot.tar.zst",
            "http://staging/" + id(mode, minutes) + "/snapshot.json",
            SHA,
            SHA,
            4096,
            8192,
            3,
            1,
            1));
  }

  static SnapshotUploaded uploaded(Mode mode, int minutes) {
    String id = id(mode, minutes);
    String prefix = "litecoin/regtest/" + mode + "/" + id;
    return new SnapshotUploaded(
        id,
        target(mode),
        100 + minutes,
        HASH,
        "test-bucket",
        prefix + "/snapshot.tar.zst",
        prefix + "/snapshot.json",
        "https://cdn.example/" + prefix + "/snapshot.tar.zst",
        "https://cdn.example/" + prefix + "/snapshot.json",
        SHA,
        4096,
        T0.plusSeconds(60L * minutes + 10));
  }

  static SnapshotPinned pinned(Mode mode, int minutes) {
    return new SnapshotPinned(
        id(mode, minutes), target(mode), cid(minutes), T0.plusSeconds(60L * minutes + 20));
  }

  /** A CIDv1 (base32) that names {@code minutes}. */
  static String cid(int minutes) {
    StringBuilder cid = new StringBuilder("bafkreia");
    for (char digit : String.format("%020d", minutes).toCharArray()) {
      cid.append((char) ('a' + digit - '0'));
    }
    return cid.toString();
  }

  /** Verified {@code at} seconds after {@link #T0}. */
  static SnapshotVerified verified(Mode mode, int minutes, long at) {
    return new SnapshotVerified(
        id(mode, minutes),
        target(mode),
        100 + minutes,
        HASH,
        "https://cdn.example/x",
        10,
        20,
        T0.plusSeconds(at));
  }

  /** Rejected {@code at} seconds after {@link #T0}. */
  static SnapshotRejected rejected(Mode mode, int minutes, long at) {
    return new SnapshotRejected(
        id(mode, minutes),
        target(mode),
        "https://cdn.example/x",
        RejectionStage.TIP,
        "height 99, announced " + (100 + minutes),
        T0.plusSeconds(at));
  }
}
