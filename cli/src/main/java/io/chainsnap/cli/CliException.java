package io.chainsnap.cli;

/** A failure of a command with its exit code ({@link ExitCodes}); the message is for operators. */
public class CliException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int code;

  /**
   * @param code an {@link ExitCodes} value
   * @param message operator-facing message
   */
  public CliException(int code, String message) {
    super(message);
    this.code = code;
  }

  /** The exit code. */
  public int code() {
    return code;
  }

  /** A usage error (exit 1). */
  public static CliException usage(String message) {
    return new CliException(ExitCodes.USAGE, message);
  }

  /** Something asked for does not exist (exit 2). */
  public static CliException notFound(String message) {
    return new CliException(ExitCodes.NOT_FOUND, message);
  }

  /** A verification failure (exit 3). */
  public static CliException corrupt(String message) {
    return new CliException(ExitCodes.CORRUPT, message);
  }
}
