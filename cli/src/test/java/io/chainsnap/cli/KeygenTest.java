package io.chainsnap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.archive.signing.Ed25519Keys;
import io.chainsnap.archive.signing.IndexSignature;
import io.chainsnap.archive.signing.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chainsnap keygen}: a usable key pair, a private key only its owner reads, no overwrite.
 */
class KeygenTest {

  @Test
  void writesAKeyPairThatSignsAndVerifies(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("keys/index-signing.key");
    Cli.Result r = Cli.run("keygen", "--private-key", key.toString(), "--json").expect(0);
    Path pub = dir.resolve("keys/index-signing.key.pub");
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)), "0600");
    SigningKey signing = SigningKey.of(Ed25519Keys.readPrivateKey(key));
    assertEquals(signing.keyId(), Ed25519Keys.fingerprint(Ed25519Keys.readPublicKey(pub)));
    assertEquals(signing.keyId(), r.json().path("fingerprint").asText());
    byte[] data = "index".getBytes();
    byte[] sig = IndexSignature.sign(data, 1, List.of(signing)).toJson();
    assertEquals(
        signing.keyId(), IndexSignature.verify(data, sig, List.of(Ed25519Keys.readPublicKey(pub))));
    // the fingerprint of either file
    assertTrue(
        Cli.run("keygen", "--fingerprint", pub.toString())
            .expect(0)
            .out()
            .contains(signing.keyId()));
    assertTrue(
        Cli.run("keygen", "--fingerprint", key.toString())
            .expect(0)
            .out()
            .contains(signing.keyId()));
  }

  @Test
  void neverOverwritesAKey(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("a.key");
    Path pub = dir.resolve("a.pub");
    Cli.run("keygen", "--private-key", key.toString(), "--public-key", pub.toString()).expect(0);
    String before = Files.readString(key);
    Cli.run(
            "keygen",
            "--private-key",
            key.toString(),
            "--public-key",
            dir.resolve("b.pub").toString())
        .expect(ExitCodes.DESTINATION);
    assertEquals(before, Files.readString(key));
    Cli.run("keygen").expect(ExitCodes.USAGE);
  }
}
