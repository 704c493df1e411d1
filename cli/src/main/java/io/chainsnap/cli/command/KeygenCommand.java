package io.chainsnap.cli.command;

import io.chainsnap.archive.signing.Ed25519Keys;
import io.chainsnap.archive.signing.SignatureCheckException;
import io.chainsnap.archive.signing.SigningKey;
import io.chainsnap.cli.ChainsnapCommand;
import io.chainsnap.cli.CliException;
import io.chainsnap.cli.ExitCodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code chainsnap keygen}: an Ed25519 key pair for signing index.json. */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    description = {
      "Generate an Ed25519 key pair for the publisher to sign index.json with: the private key as"
          + " PKCS#8 PEM (mode 0600; publisher.signing.key-file) and the public key as PEM (give"
          + " it to clients: --trusted-key FILE.pub). Prints the key's fingerprint, which clients"
          + " can pin instead (--trusted-key ed25519:...).",
      "With --fingerprint, prints the fingerprint of an existing public or private key file."
    },
    footer = {
      "",
      "Examples:",
      "  chainsnap keygen --private-key index-signing.key --public-key index-signing.pub",
      "  chainsnap keygen --fingerprint index-signing.pub"
    })
public final class KeygenCommand implements Callable<Integer> {

  @ParentCommand ChainsnapCommand root;

  @Option(
      names = "--private-key",
      paramLabel = "FILE",
      description = "Where to write the private key (must not exist).")
  Path privateKey;

  @Option(
      names = "--public-key",
      paramLabel = "FILE",
      description = "Where to write the public key (default: the private key's name + .pub).")
  Path publicKey;

  @Option(
      names = "--fingerprint",
      paramLabel = "FILE",
      description = "Print the fingerprint of this PEM key (public or private) and exit.")
  Path fingerprintOf;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (fingerprintOf != null) {
      if (privateKey != null || publicKey != null) {
        throw CliException.usage("--fingerprint excludes --private-key and --public-key");
      }
      PublicKey key = readAny(fingerprintOf);
      print(null, fingerprintOf, Ed25519Keys.fingerprint(key));
      return 0;
    }
    if (privateKey == null) {
      throw CliException.usage("say where to write the key: --private-key FILE");
    }
    Path pub =
        publicKey != null
            ? publicKey
            : privateKey.resolveSibling(privateKey.getFileName() + ".pub");
    if (pub.toAbsolutePath().normalize().equals(privateKey.toAbsolutePath().normalize())) {
      throw CliException.usage("--public-key must differ from --private-key");
    }
    for (Path p : new Path[] {privateKey, pub}) {
      if (Files.exists(p)) {
        throw new CliException(ExitCodes.DESTINATION, p + " exists: not overwriting a key");
      }
    }
    KeyPair pair = Ed25519Keys.generate();
    writeNew(privateKey, Ed25519Keys.privatePem(pair.getPrivate()), true);
    try {
      writeNew(pub, Ed25519Keys.publicPem(pair.getPublic()), false);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(privateKey);
      throw e;
    }
    print(privateKey, pub, Ed25519Keys.fingerprint(pair.getPublic()));
    return 0;
  }

  private void print(Path priv, Path pub, String fingerprint) {
    if (json) {
      Map<String, Object> o = new LinkedHashMap<>();
      if (priv != null) {
        o.put("privateKey", priv.toAbsolutePath().toString());
      }
      o.put(priv != null ? "publicKey" : "file", pub.toAbsolutePath().toString());
      o.put("fingerprint", fingerprint);
      root.console().json(o);
      return;
    }
    if (priv != null) {
      root.console().result("private key " + priv + " (mode 0600: keep it secret)");
      root.console().result("public key  " + pub);
    }
    root.console().result("fingerprint " + fingerprint);
  }

  /** The public key of a PEM file holding a public or a private key. */
  private static PublicKey readAny(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw CliException.notFound("no such file: " + file);
    }
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    try {
      if (text.contains("-----BEGIN PRIVATE KEY-----")) {
        return SigningKey.of(Ed25519Keys.readPrivateKey(file)).publicKey();
      }
      return Ed25519Keys.readPublicKey(file);
    } catch (SignatureCheckException e) {
      throw CliException.usage(e.getMessage());
    }
  }

  /** Writes a new file (never replacing one), mode 0600 for a private key. */
  private static void writeNew(Path file, String content, boolean secret) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    try {
      if (secret && dir != null && Files.getFileStore(dir).supportsFileAttributeView("posix")) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(file);
      }
    } catch (FileAlreadyExistsException e) {
      throw new CliException(ExitCodes.DESTINATION, file + " exists: not overwriting a key");
    }
    Files.writeString(
        file, content, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
  }
}
