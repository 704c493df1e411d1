package io.chainsnap.cli.trust;

import io.chainsnap.archive.SnapshotIndex;
import io.chainsnap.archive.restore.SourceNotFoundException;
import io.chainsnap.archive.signing.IndexSignature;
import io.chainsnap.archive.signing.PublishedKeys;
import io.chainsnap.archive.signing.SignatureCheckException;
import io.chainsnap.cli.CliException;
import io.chainsnap.cli.ExitCodes;
import io.chainsnap.cli.source.Location;
import io.chainsnap.cli.source.Sources;
import java.io.IOException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The check of every {@code index.json} read: signed by a trusted key ({@code index.json.sig}
 * beside it, exit {@link ExitCodes#SIGNATURE}), not expired ({@code expiresAt}, exit {@link
 * ExitCodes#EXPIRED}) and not older than the last one seen for that URL ({@code sequence}, exit
 * {@link ExitCodes#ROLLBACK}). Without any trust anchor it refuses (a usage error naming {@code
 * --trusted-key}) unless unsigned indexes are allowed.
 *
 * <p>The signature is checked over the exact bytes read, before they are parsed.
 */
public final class IndexTrust {

  /** What was accepted. */
  public enum Status {
    /** Signed by a trusted key, fresh, not rolled back. */
    SIGNED,
    /** Not checked: no trust anchor and {@code --allow-unsigned}. */
    UNCHECKED,
    /** No {@code index.json.sig} and {@code --allow-unsigned}. */
    UNSIGNED
  }

  /**
   * The outcome of the signature check.
   *
   * @param status what was accepted
   * @param keyId the key that signed (SIGNED only)
   */
  public record Verdict(Status status, String keyId) {
    /** Whether the index is signed by a trusted key. */
    public boolean signed() {
      return status == Status.SIGNED;
    }
  }

  /** A signature of other bytes than the index read: read both once more. */
  public static final class Mismatch extends CliException {
    private static final long serialVersionUID = 1L;

    Mismatch(String message) {
      super(ExitCodes.SIGNATURE, message);
    }
  }

  private final TrustAnchors anchors;
  private final SequenceState state;
  private final boolean allowUnsigned;
  private final Clock clock;

  public IndexTrust(TrustAnchors anchors, SequenceState state, boolean allowUnsigned, Clock clock) {
    this.anchors = anchors;
    this.state = state;
    this.allowUnsigned = allowUnsigned;
    this.clock = clock;
  }

  /** Whether an index is read without checking its signature (no anchor, unsigned allowed). */
  public boolean unchecked() {
    return anchors.isEmpty() && allowUnsigned;
  }

  /**
   * Checks the signature of {@code bytes}, the index read at {@code index}.
   *
   * @throws Mismatch when {@code index.json.sig} signs other bytes (read both again once)
   * @throws CliException {@link ExitCodes#SIGNATURE} for a missing, malformed, untrusted or bad
   *     signature; {@link ExitCodes#USAGE} without trust anchor and without allow-unsigned
   */
  public Verdict verifySignature(Location index, byte[] bytes, Sources sources) throws IOException {
    if (anchors.isEmpty()) {
      if (allowUnsigned) {
        return new Verdict(Status.UNCHECKED, null);
      }
      throw CliException.usage(
          "no trusted key to check "
              + index
              + " with: pin the publisher's key with --trusted-key FILE.pub|ed25519:FINGERPRINT"
              + " (repeatable) or in "
              + TrustAnchors.defaultFile().map(Object::toString).orElse("the trust file")
              + " (--trust-file), or read it unchecked with --allow-unsigned");
    }
    Location sigAt = index.sibling(index.name() + ".sig");
    byte[] sig;
    try {
      sig = sources.read(sigAt);
    } catch (SourceNotFoundException e) {
      if (allowUnsigned) {
        return new Verdict(Status.UNSIGNED, null);
      }
      throw new CliException(
          ExitCodes.SIGNATURE,
          index
              + " is not signed: "
              + sigAt
              + " does not exist (--allow-unsigned reads an unsigned index anyway)");
    }
    List<PublicKey> trusted = new ArrayList<>(anchors.keys().values());
    if (!anchors.pinnedOnly().isEmpty()) {
      trusted.addAll(publishedKeys(index, sources));
    }
    try {
      return new Verdict(Status.SIGNED, IndexSignature.verify(bytes, sig, trusted));
    } catch (SignatureCheckException e) {
      String message = index + ": signature check failed: " + e.getMessage();
      if (e.reason() == SignatureCheckException.Reason.MISMATCH) {
        throw new Mismatch(message);
      }
      throw new CliException(ExitCodes.SIGNATURE, message);
    }
  }

  /** The keys of {@code keys.json} beside the index whose fingerprints are pinned. */
  private List<PublicKey> publishedKeys(Location index, Sources sources) throws IOException {
    Location at = index.sibling(PublishedKeys.FILE_NAME);
    try {
      List<PublicKey> keys = PublishedKeys.read(sources.read(at)).matching(anchors.pinnedOnly());
      if (keys.isEmpty() && anchors.keys().isEmpty()) {
        throw new CliException(
            ExitCodes.SIGNATURE,
            at + " holds no key with a pinned fingerprint (" + anchors.pinnedOnly() + ")");
      }
      return keys;
    } catch (SourceNotFoundException e) {
      if (!anchors.keys().isEmpty()) {
        return List.of();
      }
      throw new CliException(
          ExitCodes.SIGNATURE,
          at
              + " does not exist: a pinned fingerprint needs the publisher's keys.json (or pin"
              + " the key itself: --trusted-key FILE.pub)");
    } catch (SignatureCheckException e) {
      throw new CliException(ExitCodes.SIGNATURE, at + ": " + e.getMessage());
    }
  }

  /**
   * Checks that a signed index is not expired and not older than the last one seen at {@code
   * index}, and records its sequence. Nothing for an unsigned index (its fields prove nothing).
   *
   * @throws CliException {@link ExitCodes#EXPIRED} or {@link ExitCodes#ROLLBACK}
   */
  public void checkFreshness(Location index, SnapshotIndex read, Verdict verdict)
      throws IOException {
    if (!verdict.signed()) {
      return;
    }
    Instant now = clock.instant();
    if (read.expiresAt() == null) {
      throw new CliException(
          ExitCodes.EXPIRED, index + " is signed but has no expiresAt: its freshness is unknown");
    }
    if (!now.isBefore(read.expiresAt())) {
      throw new CliException(
          ExitCodes.EXPIRED,
          index
              + " expired at "
              + read.expiresAt()
              + " (now "
              + now
              + "): the publisher has not re-issued it (publisher down?) or an old copy is"
              + " served (stale cache or mirror, replay). Check the clock of this machine too");
    }
    state.advance(index.toString(), read.sequence(), read.issuedAt());
  }
}
