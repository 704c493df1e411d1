package io.chainsnap.cli.source;

import io.chainsnap.archive.restore.RetryPolicy;
import java.io.IOException;
import java.util.Locale;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Maps the S3 SDK's client-side failures: missing credentials fail at once (retrying cannot find
 * them) with a hint instead of the SDK's list of every provider it tried; others are transient.
 */
final class S3Errors {

  static final String NO_CREDENTIALS_HINT =
      "no AWS credentials found (environment, ~/.aws, web identity, container or instance"
          + " metadata); for a public bucket add --no-sign-request";

  private S3Errors() {}

  /** The failure for {@code what}, never with the SDK's provider chain. */
  static IOException of(String what, SdkClientException e) {
    if (isMissingCredentials(e)) {
      return new RetryPolicy.Permanent(new IOException(what + ": " + NO_CREDENTIALS_HINT));
    }
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    return new IOException(what + ": " + message.lines().findFirst().orElse(message), e);
  }

  /** Whether the SDK could not find credentials (a non-retryable client error). */
  static boolean isMissingCredentials(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      if (m.contains("unable to load credentials")
          || m.contains("unable to load aws credentials")) {
        return true;
      }
    }
    return false;
  }
}
