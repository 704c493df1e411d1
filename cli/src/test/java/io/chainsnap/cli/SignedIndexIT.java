package io.chainsnap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.archive.TestTrees;
import io.chainsnap.archive.signing.Ed25519Keys;
import io.chainsnap.archive.signing.IndexSignature;
import io.chainsnap.archive.signing.SigningKey;
import io.chainsnap.cli.trust.SequenceState;
import io.chainsnap.testsupport.StaticFileServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A signed index served over HTTP ({@link StaticFileServer}) as the publisher writes it: the CLI
 * accepts it only with a trusted key, and refuses a tampered index, a wrong key, an expired index,
 * an older sequence than one already seen and a malformed signature, each with its own exit code.
 */
class SignedIndexIT {

  @TempDir static Path shared;
  static StaticFileServer server;
  static Published layout;
  static SnapshotMetadata snapshot;
  static Path source;
  static final SigningKey KEY = SigningKey.of(Ed25519Keys.generate().getPrivate());
  static final SigningKey OTHER = SigningKey.of(Ed25519Keys.generate().getPrivate());
  static Path keyPub;
  static Path otherPub;

  @TempDir Path state;
  Path index;
  long sequence = 10;

  @BeforeAll
  static void publish() throws IOException {
    source = shared.resolve("src");
    Files.createDirectories(source.resolve("blocks"));
    Random random = new Random(7);
    TestTrees.write(source.resolve("blocks/blk00000.dat"), TestTrees.randomBytes(random, 150_000));
    TestTrees.write(source.resolve("peers.dat"), TestTrees.text(random, 3000));
    Path www = Files.createDirectories(shared.resolve("www"));
    server = new StaticFileServer(www);
    layout = new Published(www);
    snapshot = layout.add("ltc-signed-1", "full", source, 64 << 10, 100);
    layout.list(snapshot, "verified", server::url);
    keyPub = shared.resolve("publisher.pub");
    Files.writeString(keyPub, Ed25519Keys.publicPem(KEY.publicKey()));
    otherPub = shared.resolve("other.pub");
    Files.writeString(otherPub, Ed25519Keys.publicPem(OTHER.publicKey()));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void signFresh() throws IOException {
    index = sign(sequence, Instant.now().plus(Duration.ofDays(7)), List.of(KEY));
  }

  Path sign(long seq, Instant expiresAt, List<SigningKey> keys) throws IOException {
    return layout.writeSignedIndex(seq, Instant.now().minusSeconds(60), expiresAt, keys);
  }

  String indexUrl() {
    return server.url("litecoin/regtest/index.json");
  }

  Cli.Result list(String... extra) {
    List<String> args = new ArrayList<>(List.of("list", "--index", indexUrl(), "--json"));
    args.add("--state-dir");
    args.add(state.toString());
    args.addAll(Arrays.asList(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void aSignedIndexIsReadWithItsPublicKeyFile() throws IOException {
    Cli.Result r = list("--trusted-key", keyPub.toString()).expect(0);
    JsonNode json = r.json();
    assertTrue(json.path("signed").asBoolean());
    assertEquals(KEY.keyId(), json.path("signedBy").asText());
    assertEquals(sequence, json.path("sequence").asLong());
    assertFalse(json.path("expiresAt").isNull());
    assertTrue(r.err().contains("signed by trusted key " + KEY.keyId()), r.err());
    assertEquals(
        sequence,
        new SequenceState(state).last(indexUrl()).orElseThrow(),
        "the sequence seen is kept");
  }

  @Test
  void aPinnedFingerprintTakesItsKeyFromKeysJson() {
    list("--trusted-key", KEY.keyId()).expect(0);
    // a fingerprint that keys.json does not hold
    Cli.Result r = list("--trusted-key", OTHER.keyId()).expect(ExitCodes.SIGNATURE);
    assertTrue(r.err().contains("chainsnap: bad-signature: "), r.err());
    assertTrue(r.err().contains("holds no key with a pinned fingerprint"), r.err());
  }

  @Test
  void theTrustFileListsFingerprintsAndKeyFiles() throws IOException {
    Path file = state.resolve("trusted-keys");
    Files.writeString(file, "# the publisher\n" + otherPub + "\n  " + KEY.keyId() + "  # pinned\n");
    list("--trust-file", file.toString()).expect(0);
    Files.writeString(file, "# only the wrong key\n" + otherPub + "\n");
    list("--trust-file", file.toString()).expect(ExitCodes.SIGNATURE);
  }

  @Test
  void aTamperedIndexFails() throws IOException {
    String json = Files.readString(index);
    Files.writeString(index, json.replace("\"height\" : 100", "\"height\" : 101"));
    Cli.Result r = list("--trusted-key", keyPub.toString()).expect(ExitCodes.SIGNATURE);
    assertTrue(r.err().contains("signature check failed"), r.err());
    assertTrue(r.err().contains("signs other bytes"), r.err());
    // and with indexSha256 rewritten to match, the signature itself fails
    byte[] tampered = Files.readAllBytes(index);
    IndexSignature real = IndexSignature.read(Files.readAllBytes(sigFile()));
    Files.write(
        sigFile(),
        new IndexSignature(1, IndexSignature.sha256(tampered), sequence, real.signatures())
            .toJson());
    r = list("--trusted-key", keyPub.toString()).expect(ExitCodes.SIGNATURE);
    assertTrue(r.err().contains("does not verify"), r.err());
  }

  @Test
  void anIndexSignedByAnotherKeyFails() {
    Cli.Result r = list("--trusted-key", otherPub.toString()).expect(ExitCodes.SIGNATURE);
    assertTrue(r.err().contains("none of them a trusted key"), r.err());
    assertTrue(r.err().contains(KEY.keyId()), r.err());
  }

  @Test
  void anExpiredIndexFails() throws IOException {
    sign(sequence, Instant.now().minusSeconds(1), List.of(KEY));
    Cli.Result r = list("--trusted-key", keyPub.toString()).expect(ExitCodes.EXPIRED);
    assertTrue(r.err().contains("chainsnap: expired: "), r.err());
    assertTrue(r.err().contains(" expired at "), r.err());
  }

  @Test
  void anOlderSequenceThanOneSeenFails() throws IOException {
    list("--trusted-key", keyPub.toString()).expect(0);
    sign(sequence + 5, Instant.now().plus(Duration.ofDays(7)), List.of(KEY));
    list("--trusted-key", keyPub.toString()).expect(0);
    // the old, still valid and correctly signed index served again
    sign(sequence, Instant.now().plus(Duration.ofDays(7)), List.of(KEY));
    Cli.Result r = list("--trusted-key", keyPub.toString()).expect(ExitCodes.ROLLBACK);
    assertTrue(r.err().contains("chainsnap: rollback: "), r.err());
    assertTrue(r.err().contains("lower than sequence " + (sequence + 5)), r.err());
    // the same sequence again is fine
    sign(sequence + 5, Instant.now().plus(Duration.ofDays(7)), List.of(KEY));
    list("--trusted-key", keyPub.toString()).expect(0);
  }

  @Test
  void duringARotationClientsOfEitherKeyAccept() throws IOException {
    sign(sequence, Instant.now().plus(Duration.ofDays(7)), List.of(KEY, OTHER));
    list("--trusted-key", keyPub.toString()).expect(0);
    list("--trusted-key", otherPub.toString()).expect(0);
    list("--trusted-key", OTHER.keyId()).expect(0);
  }

  @Test
  void aMalformedOrMissingSignatureFails() throws IOException {
    Files.writeString(sigFile(), "{\"formatVersion\": 1, \"signatures\": \"nope\"}");
    Cli.Result r = list("--trusted-key", keyPub.toString()).expect(ExitCodes.SIGNATURE);
    assertTrue(r.err().contains("index.json.sig"), r.err());
    Files.delete(sigFile());
    r = list("--trusted-key", keyPub.toString()).expect(ExitCodes.SIGNATURE);
    assertTrue(r.err().contains("is not signed"), r.err());
    // --allow-unsigned accepts a missing signature (with a warning), never a bad one
    r = list("--trusted-key", keyPub.toString(), "--allow-unsigned").expect(0);
    assertTrue(r.err().contains("index.json is not signed"), r.err());
    assertFalse(r.json().path("signed").asBoolean(true));
    Files.writeString(sigFile(), "garbage");
    list("--trusted-key", keyPub.toString(), "--allow-unsigned").expect(ExitCodes.SIGNATURE);
  }

  @Test
  void withoutATrustAnchorTheIndexIsRefusedUnlessAllowedUnsigned() {
    Cli.Result r = list().expect(ExitCodes.USAGE);
    assertTrue(r.err().contains("--trusted-key"), r.err());
    assertTrue(r.err().contains("--allow-unsigned"), r.err());
    r = list("--allow-unsigned").expect(0);
    assertTrue(r.err().contains("signature not checked"), r.err());
  }

  /**
   * The publisher writes the signature first, then the index: a client reading in between sees the
   * old index with the new signature, waits a second, reads both again and gets the new pair.
   */
  @Test
  void aMismatchDuringAnUpdateIsReadAgainOnce() throws Exception {
    byte[] oldIndex = Files.readAllBytes(index);
    sign(sequence + 1, Instant.now().plus(Duration.ofDays(7)), List.of(KEY));
    byte[] newIndex = Files.readAllBytes(index);
    Files.write(index, oldIndex); // mid-update: new signature, old index
    CompletableFuture<Void> publisher =
        CompletableFuture.runAsync(
            () -> {
              try {
                Thread.sleep(300);
                Files.write(index, newIndex);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Cli.Result r = list("--trusted-key", keyPub.toString()).expect(0);
    publisher.get(10, TimeUnit.SECONDS);
    assertEquals(sequence + 1, r.json().path("sequence").asLong());
    // a mismatch that stays is a failure after the one retry
    Files.write(index, oldIndex);
    list("--trusted-key", keyPub.toString()).expect(ExitCodes.SIGNATURE);
  }

  @Test
  void restoreChecksTheIndexToo(@TempDir Path dest) throws IOException {
    Path target = dest.resolve("data");
    Cli.run(
            "restore",
            "--index",
            server.url(""),
            "--chain",
            Published.CHAIN,
            "--network",
            Published.NETWORK,
            "--latest",
            "--trusted-key",
            otherPub.toString(),
            "--state-dir",
            state.toString(),
            "--dest",
            target.toString())
        .expect(ExitCodes.SIGNATURE);
    assertFalse(Files.exists(target.resolve(".chainsnap-restore.json")), "nothing started");
    Cli.run(
            "restore",
            "--index",
            server.url(""),
            "--chain",
            Published.CHAIN,
            "--network",
            Published.NETWORK,
            "--latest",
            "--trusted-key",
            keyPub.toString(),
            "--state-dir",
            state.toString(),
            "--dest",
            target.toString())
        .expect(0);
    TestTrees.assertSameTree(source, target);
  }

  Path sigFile() {
    return index.resolveSibling("index.json.sig");
  }

  static String text(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }
}
