package io.chainsnap.archive.signing;

/**
 * A signed document that does not verify. The message is for operators; {@link #reason()} says
 * whether a retry can help ({@link Reason#MISMATCH}: the signature is of other bytes, as during an
 * update).
 */
public class SignatureCheckException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why the check failed. */
  public enum Reason {
    /** The signature document (or key file, keys.json) cannot be read: syntax, version, base64. */
    MALFORMED,
    /**
     * The signature document is of other bytes ({@code indexSha256} differs): a tampered index, or
     * an index and signature read during an update. Read both again once.
     */
    MISMATCH,
    /** No signature by a trusted key. */
    UNTRUSTED,
    /** A trusted key's signature does not verify over the index bytes. */
    INVALID
  }

  private final Reason reason;

  public SignatureCheckException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public SignatureCheckException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Why the check failed. */
  public Reason reason() {
    return reason;
  }
}
