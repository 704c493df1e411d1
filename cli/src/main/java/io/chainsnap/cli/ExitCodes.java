package io.chainsnap.cli;

import io.chainsnap.archive.ArchiveException;
import io.chainsnap.archive.restore.RestoreException;
import io.chainsnap.archive.restore.SourceNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exit codes of {@code chainsnap}, stable for scripts, and the message kind printed with each
 * ({@code chainsnap: <kind>: <message>} on stderr).
 */
public final class ExitCodes {

  /** Success. */
  public static final int OK = 0;

  /** Bad or conflicting options. */
  public static final int USAGE = 1;

  /** Index, snapshot id, latest, snapshot.json or archive not found. */
  public static final int NOT_FOUND = 2;

  /** Verification failed: hash, size, truncation, invalid or unsupported document, rejected. */
  public static final int CORRUPT = 3;

  /**
   * The archive holds an entry refused by the safety rules, or a remote index names a local file.
   */
  public static final int UNSAFE = 4;

  /** Network or local I/O failure (after retries). */
  public static final int IO = 5;

  /** Not enough disk space. */
  public static final int NO_SPACE = 6;

  /** Destination refused (not empty and no marker, another snapshot's marker, busy, exists). */
  public static final int DESTINATION = 7;

  /**
   * index.json's signature does not check out: no index.json.sig, malformed, by no trusted key, not
   * verifying (tampered index), or keys.json without the pinned key.
   */
  public static final int SIGNATURE = 8;

  /** A signed index.json past its expiresAt (or without one). */
  public static final int EXPIRED = 9;

  /** A bug. */
  public static final int INTERNAL = 10;

  /** A signed index.json with a lower sequence than one already seen at that URL (rollback). */
  public static final int ROLLBACK = 11;

  /** Interrupted by SIGINT (SIGTERM gives 143). */
  public static final int INTERRUPTED = 130;

  private ExitCodes() {}

  /** Exit codes and their meaning, for {@code --help}. */
  public static Map<String, String> descriptions() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("0", "success");
    m.put("1", "usage: bad or conflicting options");
    m.put(
        "2",
        "not found: index, snapshot id, latest, snapshot.json or archive (HTTP 404, or 403 access"
            + " denied)");
    m.put(
        "3",
        "verification failed: chunk or archive SHA-256, size, truncation, invalid or unsupported"
            + " document, snapshot rejected by the verifier");
    m.put(
        "4",
        "unsafe input: archive entry escaping the target, link, device, FIFO, duplicate, reserved"
            + " or over-long name, sizes beyond snapshot.json (restore and verify alike); a remote"
            + " index naming a local file");
    m.put("5", "network or I/O error (after retries)");
    m.put("6", "not enough disk space");
    m.put(
        "7",
        "destination refused: not empty without a restore marker, marker of another snapshot,"
            + " restore already running, file exists");
    m.put(
        "8",
        "bad index signature: index.json.sig missing, malformed, by no trusted key (--trusted-key),"
            + " or not verifying (index altered)");
    m.put("9", "index expired: a signed index.json past its expiresAt (stale copy or replay)");
    m.put("10", "internal error (a bug: please report it with --debug output)");
    m.put(
        "11",
        "index rollback: a signed index.json older (lower sequence) than one already seen for that"
            + " URL (--state-dir)");
    m.put("130", "interrupted by SIGINT (143: SIGTERM); a restore leaves its marker");
    return m;
  }

  /** An exit code with the kind word printed in front of the message. */
  public record Failure(int code, String kind, String message) {}

  /** Maps any failure of a command. */
  public static Failure of(Throwable t) {
    if (t instanceof CliException c) {
      return new Failure(c.code(), kind(c.code()), c.getMessage());
    }
    if (t instanceof RestoreException r) {
      int code =
          switch (r.reason()) {
            case NOT_FOUND -> NOT_FOUND;
            case NETWORK, DISK -> IO;
            case CORRUPT, UNSUPPORTED_FORMAT -> CORRUPT;
            case UNSAFE -> UNSAFE;
            case NO_SPACE -> NO_SPACE;
            case DESTINATION -> DESTINATION;
            case CANCELLED -> INTERRUPTED;
          };
      return new Failure(code, kind(code), r.getMessage());
    }
    if (t instanceof ArchiveException a) {
      if (a.kind() == ArchiveException.Kind.SOURCE) {
        return new Failure(USAGE, kind(USAGE), a.getMessage());
      }
      return of(RestoreException.of(a));
    }
    if (t instanceof SourceNotFoundException e) {
      return new Failure(NOT_FOUND, kind(NOT_FOUND), e.getMessage());
    }
    if (t instanceof IOException || t instanceof UncheckedIOException) {
      return new Failure(IO, kind(IO), String.valueOf(t.getMessage()));
    }
    if (t instanceof OutOfMemoryError) {
      return new Failure(
          INTERNAL,
          kind(INTERNAL),
          "out of memory (give the JVM more with JAVA_OPTS=-Xmx..., or use fewer --connections)");
    }
    return new Failure(INTERNAL, kind(INTERNAL), oneLine(t) + " (run with --debug for details)");
  }

  /** A failure in one line: its simple class name and the first line of its message. */
  public static String oneLine(Throwable t) {
    String m = t.getMessage() == null ? "" : t.getMessage().lines().findFirst().orElse("");
    return t.getClass().getSimpleName() + (m.isEmpty() ? "" : ": " + m);
  }

  /** The word printed with a code. */
  public static String kind(int code) {
    return switch (code) {
      case USAGE -> "usage";
      case NOT_FOUND -> "not-found";
      case CORRUPT -> "corrupt";
      case UNSAFE -> "unsafe";
      case IO -> "io";
      case NO_SPACE -> "no-space";
      case DESTINATION -> "destination";
      case SIGNATURE -> "bad-signature";
      case EXPIRED -> "expired";
      case ROLLBACK -> "rollback";
      case INTERRUPTED -> "interrupted";
      case OK -> "ok";
      default -> "internal";
    };
  }
}
