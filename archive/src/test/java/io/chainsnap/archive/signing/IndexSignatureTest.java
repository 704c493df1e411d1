package io.chainsnap.archive.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.archive.SnapshotIndex;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signing and verifying {@code index.json}: every way a signature must fail, and rotation. */
class IndexSignatureTest {

  private static final Instant NOW = Instant.parse("2026-12-03T18:00:00Z");

  private static byte[] index(long sequence) {
    return new SnapshotIndex(
            SnapshotIndex.FORMAT_VERSION, "litecoin", "mainnet", sequence, NOW, Map.of(), List.of())
        .issued(sequence, NOW, NOW.plusSeconds(7 * 86400))
        .toJson();
  }

  private static SigningKey key() {
    return SigningKey.of(Ed25519Keys.generate().getPrivate());
  }

  @Test
  void signedIndexVerifiesWithItsKey() {
    SigningKey k = key();
    byte[] idx = index(3);
    byte[] sig = IndexSignature.sign(idx, 3, List.of(k)).toJson();
    assertEquals(k.keyId(), IndexSignature.verify(idx, sig, List.of(k.publicKey())));
    IndexSignature doc = IndexSignature.read(sig);
    assertEquals(IndexSignature.sha256(idx), doc.indexSha256());
    assertEquals(3, doc.sequence());
  }

  @Test
  void oneTamperedByteFails() {
    SigningKey k = key();
    byte[] idx = index(3);
    byte[] sig = IndexSignature.sign(idx, 3, List.of(k)).toJson();
    byte[] tampered = idx.clone();
    int at = new String(idx, StandardCharsets.UTF_8).indexOf("mainnet");
    tampered[at] = 'M';
    SignatureCheckException e =
        assertThrows(
            SignatureCheckException.class,
            () -> IndexSignature.verify(tampered, sig, List.of(k.publicKey())));
    assertEquals(SignatureCheckException.Reason.MISMATCH, e.reason());
  }

  @Test
  void tamperedIndexWithItsDigestRewrittenFailsTheSignature() {
    SigningKey k = key();
    byte[] idx = index(3);
    byte[] tampered = index(4); // other bytes; the attacker also rewrites indexSha256
    IndexSignature real = IndexSignature.sign(idx, 3, List.of(k));
    byte[] forged =
        new IndexSignature(1, IndexSignature.sha256(tampered), 4, real.signatures()).toJson();
    SignatureCheckException e =
        assertThrows(
            SignatureCheckException.class,
            () -> IndexSignature.verify(tampered, forged, List.of(k.publicKey())));
    assertEquals(SignatureCheckException.Reason.INVALID, e.reason());
  }

  @Test
  void wrongKeyIsUntrusted() {
    SigningKey signer = key();
    SigningKey other = key();
    byte[] idx = index(1);
    byte[] sig = IndexSignature.sign(idx, 1, List.of(signer)).toJson();
    SignatureCheckException e =
        assertThrows(
            SignatureCheckException.class,
            () -> IndexSignature.verify(idx, sig, List.of(other.publicKey())));
    assertEquals(SignatureCheckException.Reason.UNTRUSTED, e.reason());
    assertTrue(e.getMessage().contains(signer.keyId()), e.getMessage());
    assertTrue(e.getMessage().contains(other.keyId()), e.getMessage());
  }

  @Test
  void aSignatureClaimingTheTrustedKeyIdButMadeByAnotherKeyIsInvalid() {
    SigningKey trusted = key();
    SigningKey attacker = key();
    byte[] idx = index(1);
    IndexSignature byAttacker = IndexSignature.sign(idx, 1, List.of(attacker));
    IndexSignature.Entry e0 = byAttacker.signatures().get(0);
    byte[] forged =
        new IndexSignature(
                1,
                byAttacker.indexSha256(),
                1,
                List.of(new IndexSignature.Entry(trusted.keyId(), "ed25519", e0.signature())))
            .toJson();
    SignatureCheckException e =
        assertThrows(
            SignatureCheckException.class,
            () -> IndexSignature.verify(idx, forged, List.of(trusted.publicKey())));
    assertEquals(SignatureCheckException.Reason.INVALID, e.reason());
  }

  @Test
  void rotationWithTwoKeysSatisfiesClientsOfEither() {
    SigningKey old = key();
    SigningKey next = key();
    byte[] idx = index(9);
    byte[] sig = IndexSignature.sign(idx, 9, List.of(old, next)).toJson();
    assertEquals(2, IndexSignature.read(sig).signatures().size());
    assertEquals(old.keyId(), IndexSignature.verify(idx, sig, List.of(old.publicKey())));
    assertEquals(next.keyId(), IndexSignature.verify(idx, sig, List.of(next.publicKey())));
    // after the rotation only the new key signs: a client pinning only the old key fails
    byte[] after = IndexSignature.sign(idx, 9, List.of(next)).toJson();
    assertEquals(
        SignatureCheckException.Reason.UNTRUSTED,
        assertThrows(
                SignatureCheckException.class,
                () -> IndexSignature.verify(idx, after, List.of(old.publicKey())))
            .reason());
  }

  @Test
  void malformedSignatureDocumentsAreRefused() {
    SigningKey k = key();
    byte[] idx = index(1);
    String good =
        new String(IndexSignature.sign(idx, 1, List.of(k)).toJson(), StandardCharsets.UTF_8);
    String sha = IndexSignature.sha256(idx);
    for (String bad :
        List.of(
            "",
            "not json",
            "[]",
            good.replace("\"formatVersion\" : 1", "\"formatVersion\" : 2"),
            good.replace("\"formatVersion\" : 1", "\"formatVersion\" : \"1\""),
            "{\"formatVersion\":1,\"indexSha256\":\"" + sha + "\",\"signatures\":[]}",
            "{\"formatVersion\":1,\"signatures\":[{\"keyId\":\"x\",\"algorithm\":\"ed25519\",\"signature\":\"AA==\"}]}",
            good.replace("\"ed25519\"", "\"rsa\""),
            good.replaceAll("\"signature\" : \"[^\"]*\"", "\"signature\" : \"%%%\""),
            good.replaceAll("\"signature\" : \"[^\"]*\"", "\"signature\" : \"AAAA\""))) {
      SignatureCheckException e =
          assertThrows(
              SignatureCheckException.class,
              () ->
                  IndexSignature.verify(
                      idx, bad.getBytes(StandardCharsets.UTF_8), List.of(k.publicKey())),
              bad);
      assertEquals(SignatureCheckException.Reason.MALFORMED, e.reason(), bad);
    }
  }

  @Test
  void pemRoundTripAndPublishedKeysMatchOnlyPinnedFingerprints() {
    KeyPair a = Ed25519Keys.generate();
    KeyPair b = Ed25519Keys.generate();
    PublicKey aPub = Ed25519Keys.publicKeyPem(Ed25519Keys.publicPem(a.getPublic()), "a.pub");
    assertEquals(Ed25519Keys.fingerprint(a.getPublic()), Ed25519Keys.fingerprint(aPub));
    assertEquals(
        Ed25519Keys.fingerprint(a.getPublic()),
        SigningKey.of(a.getPrivate()).keyId(),
        "public key derived from the private key");
    assertTrue(Ed25519Keys.isFingerprint(Ed25519Keys.fingerprint(a.getPublic())));
    PublishedKeys doc =
        PublishedKeys.read(PublishedKeys.of(List.of(a.getPublic(), b.getPublic())).toJson());
    List<PublicKey> matched = doc.matching(Set.of(Ed25519Keys.fingerprint(b.getPublic())));
    assertEquals(1, matched.size());
    assertEquals(Ed25519Keys.fingerprint(b.getPublic()), Ed25519Keys.fingerprint(matched.get(0)));
  }

  /** Interop with OpenSSL: its keys load, fingerprints agree, it verifies our signatures. */
  @Test
  void opensslKeysFingerprintsAndSignaturesAgree(@TempDir Path dir) throws Exception {
    Path openssl = Path.of("/usr/bin/openssl");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(openssl), "no openssl");
    Path key = dir.resolve("k.pem");
    run(dir, "openssl", "genpkey", "-algorithm", "ed25519", "-out", key.toString());
    run(dir, "openssl", "pkey", "-in", key.toString(), "-pubout", "-out", "k.pub");
    run(dir, "sh", "-c", "openssl pkey -pubin -in k.pub -outform DER | sha256sum > fp");
    String hex = Files.readString(dir.resolve("fp")).substring(0, 32);
    SigningKey k = SigningKey.of(Ed25519Keys.readPrivateKey(key));
    assertEquals("ed25519:" + hex, k.keyId());
    assertEquals(
        k.keyId(), Ed25519Keys.fingerprint(Ed25519Keys.readPublicKey(dir.resolve("k.pub"))));
    byte[] idx = index(5);
    Files.write(dir.resolve("index.json"), idx);
    IndexSignature sig = IndexSignature.sign(idx, 5, List.of(k));
    Files.write(
        dir.resolve("sig.bin"),
        java.util.Base64.getDecoder().decode(sig.signatures().get(0).signature()));
    run(
        dir,
        "openssl",
        "pkeyutl",
        "-verify",
        "-pubin",
        "-inkey",
        "k.pub",
        "-rawin",
        "-in",
        "index.json",
        "-sigfile",
        "sig.bin");
  }

  private static void run(Path dir, String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
  }
}
