package io.chainsnap.cli.source;

import io.chainsnap.cli.CliException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a document or an archive is: an {@code http(s)://} URL (CDN, gateway, IPFS gateway), an
 * {@code s3://bucket/key} object, an {@code ipfs://CID} (read through an IPFS gateway), or a local
 * file (a path or a {@code file:} URL).
 */
public final class Location {

  /** The kind of a location. */
  public enum Kind {
    /** {@code http://} or {@code https://}. */
    HTTP,
    /** {@code s3://bucket/key}. */
    S3,
    /** A local file. */
    FILE
  }

  private final Kind kind;
  private final URI uri;
  private final Path path;
  private final String bucket;
  private final String key;

  private Location(Kind kind, URI uri, Path path, String bucket, String key) {
    this.kind = kind;
    this.uri = uri;
    this.path = path;
    this.bucket = bucket;
    this.key = key;
  }

  /**
   * Parses a location.
   *
   * @param text URL, {@code s3://}, {@code ipfs://} or path
   * @param ipfsGateway gateway base URL for {@code ipfs://}, or {@code null}
   * @throws CliException (usage) when malformed
   */
  public static Location parse(String text, String ipfsGateway) {
    Objects.requireNonNull(text, "text");
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    try {
      if (lower.startsWith("http://") || lower.startsWith("https://")) {
        return new Location(Kind.HTTP, new URI(text), null, null, null);
      }
      if (lower.startsWith("s3://")) {
        String rest = text.substring(5);
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
          throw CliException.usage("not an s3://bucket/key location: " + text);
        }
        return new Location(
            Kind.S3, null, null, rest.substring(0, slash), rest.substring(slash + 1));
      }
      if (lower.startsWith("ipfs://")) {
        if (ipfsGateway == null || ipfsGateway.isBlank()) {
          throw CliException.usage(
              text
                  + " needs an IPFS gateway: --ipfs-gateway https://gateway.example (or use the"
                  + " index's https source)");
        }
        String cid = text.substring(7);
        return parse(stripSlash(ipfsGateway) + "/ipfs/" + cid, null);
      }
      if (lower.startsWith("file:")) {
        return new Location(Kind.FILE, null, Path.of(new URI(text)), null, null);
      }
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw CliException.usage("malformed location " + text + ": " + e.getMessage());
    }
    if (lower.matches("[a-z][a-z0-9+.-]*://.*")) {
      throw CliException.usage("unsupported location scheme: " + text);
    }
    return new Location(Kind.FILE, null, Path.of(text), null, null);
  }

  public Kind kind() {
    return kind;
  }

  /** The URL ({@link Kind#HTTP}). */
  public URI uri() {
    return uri;
  }

  /** The file ({@link Kind#FILE}). */
  public Path path() {
    return path;
  }

  /** The bucket ({@link Kind#S3}). */
  public String bucket() {
    return bucket;
  }

  /** The key ({@link Kind#S3}). */
  public String key() {
    return key;
  }

  /** The location of {@code name} in the same directory (or URL path, or key prefix). */
  public Location sibling(String name) {
    return switch (kind) {
      case HTTP -> new Location(Kind.HTTP, uri.resolve(name), null, null, null);
      case FILE ->
          new Location(
              Kind.FILE,
              null,
              path.toAbsolutePath().getParent() == null
                  ? Path.of(name)
                  : path.toAbsolutePath().getParent().resolve(name),
              null,
              null);
      case S3 -> {
        int slash = key.lastIndexOf('/');
        yield new Location(
            Kind.S3, null, null, bucket, (slash < 0 ? "" : key.substring(0, slash + 1)) + name);
      }
    };
  }

  /**
   * A location given relative to this one (as in an index): absolute URLs and paths stay as they
   * are, anything else is resolved like a relative link.
   */
  public Location resolve(String reference, String ipfsGateway) {
    String lower = reference.toLowerCase(java.util.Locale.ROOT);
    if (lower.matches("[a-z][a-z0-9+.-]*:.*") || reference.startsWith("/")) {
      return parse(reference, ipfsGateway);
    }
    return switch (kind) {
      case HTTP -> new Location(Kind.HTTP, uri.resolve(reference), null, null, null);
      case FILE -> sibling(reference);
      case S3 -> sibling(reference);
    };
  }

  /** The last segment (file name). */
  public String name() {
    return switch (kind) {
      case HTTP -> {
        String p = uri.getPath();
        yield p == null ? "" : p.substring(p.lastIndexOf('/') + 1);
      }
      case FILE -> path.getFileName() == null ? "" : path.getFileName().toString();
      case S3 -> key.substring(key.lastIndexOf('/') + 1);
    };
  }

  @Override
  public String toString() {
    return switch (kind) {
      case HTTP -> uri.toString();
      case FILE -> path.toString();
      case S3 -> "s3://" + bucket + "/" + key;
    };
  }

  static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
