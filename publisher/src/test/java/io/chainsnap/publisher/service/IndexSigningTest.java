package io.chainsnap.publisher.service;

import static io.chainsnap.publisher.service.Events.created;
import static io.chainsnap.publisher.service.Events.id;
import static io.chainsnap.publisher.service.Events.target;
import static io.chainsnap.publisher.service.Events.uploaded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.archive.SnapshotIndex;
import io.chainsnap.archive.signing.Ed25519Keys;
import io.chainsnap.archive.signing.IndexSignature;
import io.chainsnap.archive.signing.PublishedKeys;
import io.chainsnap.archive.signing.SignatureCheckException;
import io.chainsnap.archive.signing.SigningKey;
import io.chainsnap.domain.Mode;
import io.chainsnap.events.SnapshotTarget;
import io.chainsnap.publisher.CatalogStage;
import io.chainsnap.publisher.store.CatalogKeys;
import io.chainsnap.publisher.store.InMemoryArchiveStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link IndexService} with an {@link IndexSigner}: what is stored, re-issue, repair, rotation. */
class IndexSigningTest {
  static final SnapshotTarget FULL = target(Mode.FULL);
  static final String INDEX = CatalogKeys.index("litecoin", "regtest");
  static final String SIG = INDEX + ".sig";
  static final String KEYS = "litecoin/regtest/keys.json";

  final InMemoryArchiveStore store = new InMemoryArchiveStore();
  final Catalog catalog = new Catalog(store);
  final SigningKey key = SigningKey.of(Ed25519Keys.generate().getPrivate());

  IndexService service(List<SigningKey> keys) {
    IndexService s =
        new IndexService(
            store,
            catalog,
            new IndexBuilder(Optional.empty()),
            new PublisherMetrics(new SimpleMeterRegistry()));
    s.signer(new IndexSigner(keys, Duration.ofDays(7)));
    return s;
  }

  void upload(IndexService service, int i) {
    catalog.record(FULL, id(Mode.FULL, i), CatalogStage.CREATED, created(Mode.FULL, i));
    catalog.record(FULL, id(Mode.FULL, i), CatalogStage.UPLOADED, uploaded(Mode.FULL, i));
    service.changed(FULL, id(Mode.FULL, i));
  }

  byte[] get(String key) {
    return store.peek(key).orElseThrow(() -> new AssertionError(key + " not stored"));
  }

  @Test
  void everyIndexWrittenIsSignedWithItsValidityAndKeysBesideIt() {
    IndexService service = service(List.of(key));
    Instant before = Instant.now();
    upload(service, 1);
    upload(service, 2);
    byte[] index = get(INDEX);
    assertEquals(key.keyId(), IndexSignature.verify(index, get(SIG), List.of(key.publicKey())));
    SnapshotIndex read = SnapshotIndex.read(index);
    assertEquals(2, read.sequence());
    assertEquals(2, IndexSignature.read(get(SIG)).sequence());
    assertTrue(!read.issuedAt().isBefore(before));
    assertEquals(read.issuedAt().plus(Duration.ofDays(7)), read.expiresAt());
    assertEquals(
        1, PublishedKeys.read(get(KEYS)).matching(Set.of(key.keyId())).size(), "keys.json");
  }

  @Test
  void indexesAreReissuedAtHalfTheirValidityWithTheNextSequence() {
    IndexService service = service(List.of(key));
    upload(service, 1);
    SnapshotIndex first = SnapshotIndex.read(get(INDEX));
    assertEquals(List.of(), service.reissueDue(Instant.now().plus(Duration.ofDays(3))));
    assertEquals(List.of(INDEX), service.reissueDue(Instant.now().plus(Duration.ofDays(4))));
    byte[] bytes = get(INDEX);
    SnapshotIndex again = SnapshotIndex.read(bytes);
    assertEquals(first.sequence() + 1, again.sequence());
    assertEquals(first.snapshots(), again.snapshots());
    assertEquals(first.generatedAt(), again.generatedAt());
    assertTrue(again.expiresAt().isAfter(first.expiresAt()));
    assertEquals(key.keyId(), IndexSignature.verify(bytes, get(SIG), List.of(key.publicKey())));
  }

  @Test
  void aCrashBetweenSignatureAndIndexIsAMismatchThatTheNextRoundRepairs() {
    IndexService service = service(List.of(key));
    upload(service, 1);
    // the signature of the next version is written, then the index write fails
    store.failPuts(INDEX::equals);
    assertThrows(RuntimeException.class, () -> upload(service, 2));
    store.failPuts(k -> false);
    SignatureCheckException e =
        assertThrows(
            SignatureCheckException.class,
            () -> IndexSignature.verify(get(INDEX), get(SIG), List.of(key.publicKey())));
    assertEquals(SignatureCheckException.Reason.MISMATCH, e.reason());
    // nothing is due by age, but the signature does not verify: re-issued now
    assertEquals(List.of(INDEX), service.reissueDue(Instant.now()));
    assertEquals(
        key.keyId(), IndexSignature.verify(get(INDEX), get(SIG), List.of(key.publicKey())));
  }

  @Test
  void duringARotationBothKeysSignAndBothArePublished() {
    SigningKey next = SigningKey.of(Ed25519Keys.generate().getPrivate());
    IndexService service = service(List.of(key, next));
    upload(service, 1);
    byte[] index = get(INDEX);
    assertEquals(key.keyId(), IndexSignature.verify(index, get(SIG), List.of(key.publicKey())));
    assertEquals(next.keyId(), IndexSignature.verify(index, get(SIG), List.of(next.publicKey())));
    assertEquals(
        2, PublishedKeys.read(get(KEYS)).matching(Set.of(key.keyId(), next.keyId())).size());
  }

  @Test
  void withoutAKeyNothingIsSignedAndNothingReissued() {
    IndexService service = service(List.of());
    upload(service, 1);
    assertTrue(store.peek(SIG).isEmpty());
    assertTrue(store.peek(KEYS).isEmpty());
    assertEquals(null, SnapshotIndex.read(get(INDEX)).expiresAt());
    assertEquals(List.of(), service.reissueDue(Instant.now().plus(Duration.ofDays(30))));
  }
}
