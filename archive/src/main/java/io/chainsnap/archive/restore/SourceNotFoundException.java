package io.chainsnap.archive.restore;

import java.io.IOException;

/**
 * The object a {@link RangeSource} reads does not exist (HTTP 404/410, no such key or file), or
 * access to it is denied (HTTP 401/403: what S3 answers for a missing key without list permission).
 */
public class SourceNotFoundException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message names the object and how the absence showed (for example the HTTP status)
   */
  public SourceNotFoundException(String message) {
    super(message);
  }
}
