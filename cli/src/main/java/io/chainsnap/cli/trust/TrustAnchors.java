package io.chainsnap.cli.trust;

import io.chainsnap.archive.signing.Ed25519Keys;
import io.chainsnap.archive.signing.SignatureCheckException;
import io.chainsnap.cli.CliException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The keys an index must be signed by: public keys given as PEM files, and fingerprints ({@code
 * ed25519:<32 hex>}) whose keys are taken from the {@code keys.json} beside the index, only those
 * whose computed fingerprint matches.
 *
 * <p>From {@code --trusted-key} (repeatable) and from the trust file: {@code --trust-file}, else
 * {@code $XDG_CONFIG_HOME/chainsnap/trusted-keys} (default {@code ~/.config/...}) if it exists. One
 * entry per line, a fingerprint or the path of a PEM public key (relative to the file's directory);
 * {@code #} starts a comment.
 */
public final class TrustAnchors {

  /** The trust file's name under the configuration directory. */
  public static final String FILE_NAME = "trusted-keys";

  private final Map<String, PublicKey> keys; // by fingerprint
  private final Set<String> fingerprints;
  private final List<String> sources;

  private TrustAnchors(Map<String, PublicKey> keys, Set<String> fingerprints, List<String> from) {
    this.keys = keys;
    this.fingerprints = fingerprints;
    this.sources = from;
  }

  /**
   * The anchors of {@code trustedKeys} (each a PEM file or a fingerprint) and of the trust file
   * ({@code trustFile}, or the default one when it exists).
   */
  public static TrustAnchors load(List<String> trustedKeys, Path trustFile) {
    Map<String, PublicKey> keys = new LinkedHashMap<>();
    Set<String> fingerprints = new LinkedHashSet<>();
    List<String> from = new ArrayList<>();
    for (String value : trustedKeys == null ? List.<String>of() : trustedKeys) {
      add(value, Path.of("."), "--trusted-key " + value, keys, fingerprints);
      from.add("--trusted-key");
    }
    Optional<Path> file = Optional.ofNullable(trustFile);
    if (file.isPresent() && !Files.isRegularFile(file.get())) {
      throw CliException.usage("--trust-file " + trustFile + ": no such file");
    }
    if (file.isEmpty()) {
      file = defaultFile().filter(Files::isRegularFile);
    }
    if (file.isPresent()) {
      readFile(file.get(), keys, fingerprints);
      from.add(file.get().toString());
    }
    return new TrustAnchors(keys, fingerprints, List.copyOf(from));
  }

  /** {@code $XDG_CONFIG_HOME/chainsnap/trusted-keys}, or under {@code ~/.config}. */
  public static Optional<Path> defaultFile() {
    String xdg = System.getenv("XDG_CONFIG_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Optional.of(Path.of(xdg, "chainsnap", FILE_NAME));
    }
    String home = System.getProperty("user.home");
    return home == null
        ? Optional.empty()
        : Optional.of(Path.of(home, ".config", "chainsnap", FILE_NAME));
  }

  private static void readFile(Path file, Map<String, PublicKey> keys, Set<String> fingerprints) {
    List<String> lines;
    try {
      if (Files.size(file) > 1 << 20) {
        throw CliException.usage(file + " is too large for a trust file");
      }
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CliException.usage("cannot read the trust file " + file + ": " + e.getMessage());
    }
    Path dir = file.toAbsolutePath().getParent();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int hash = line.indexOf('#');
      String value = (hash >= 0 ? line.substring(0, hash) : line).strip();
      if (!value.isEmpty()) {
        add(value, dir, file + " line " + (i + 1), keys, fingerprints);
      }
    }
  }

  private static void add(
      String value,
      Path base,
      String where,
      Map<String, PublicKey> keys,
      Set<String> fingerprints) {
    if (Ed25519Keys.isFingerprint(value)) {
      fingerprints.add(value.strip().toLowerCase(Locale.ROOT));
      return;
    }
    Path pem = base.resolve(value);
    if (!Files.isRegularFile(pem)) {
      throw CliException.usage(
          where
              + ": neither a fingerprint ("
              + Ed25519Keys.FINGERPRINT_PREFIX
              + "<32 hex digits>) nor a PEM public key file");
    }
    try {
      PublicKey key = Ed25519Keys.readPublicKey(pem);
      keys.put(Ed25519Keys.fingerprint(key), key);
    } catch (IOException | SignatureCheckException e) {
      throw CliException.usage(where + ": " + e.getMessage());
    }
  }

  /** Whether no anchor is configured. */
  public boolean isEmpty() {
    return keys.isEmpty() && fingerprints.isEmpty();
  }

  /** The public keys given as PEM, by fingerprint. */
  public Map<String, PublicKey> keys() {
    return keys;
  }

  /** The fingerprints pinned without their key (found in keys.json). */
  public Set<String> pinnedOnly() {
    Set<String> s = new LinkedHashSet<>(fingerprints);
    s.removeAll(keys.keySet());
    return s;
  }

  /** Every trusted fingerprint. */
  public Set<String> all() {
    Set<String> s = new LinkedHashSet<>(keys.keySet());
    s.addAll(fingerprints);
    return s;
  }

  /** Where the anchors came from, for messages. */
  public List<String> sources() {
    return sources;
  }
}
