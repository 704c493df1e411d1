package io.chainsnap.snapshotter;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.domain.SkipReason;
import io.chainsnap.domain.Trigger;
import io.chainsnap.events.EventCodec;
import io.chainsnap.events.EventType;
import io.chainsnap.events.SnapshotSkipped;
import io.chainsnap.events.Topics;
import io.chainsnap.testsupport.KafkaResource;
import io.chainsnap.testsupport.KafkaTestClient;
import io.chainsnap.testsupport.LitecoinResource;
import io.chainsnap.testsupport.PrometheusScrape;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The health gate over real nodes: the source lags an independent reference node by more blocks
 * than allowed, so the snapshot is refused, with a {@code snapshot-skipped} event and a metric.
 */
@QuarkusTest
@TestProfile(HealthGateIT.WithReference.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(LitecoinResource.class)
@QuarkusTestResource(
    value = LitecoinResource.class,
    initArgs = {
      @ResourceArg(name = "name", value = "reference"),
      @ResourceArg(name = "blocks", value = "260")
    })
class HealthGateIT {

  /** The test target compared with a reference node, at most 5 blocks behind. */
  public static class WithReference implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      String t = "snapshotter.targets.ltc-regtest.health.";
      return Map.of(
          t + "reference-url", "${chainsnap.test.reference.rpc-url}",
          t + "reference-user", "${chainsnap.test.reference.rpc-user}",
          t + "reference-password", "${chainsnap.test.reference.rpc-password}",
          t + "max-lag", "5");
    }
  }

  @Test
  void aNodeBehindTheReferenceIsNotSnapshotted() {
    long source = LitecoinResource.node().height();
    long reference = LitecoinResource.node("reference").height();
    assertTrue(reference - source > 5, source + " vs " + reference);

    given()
        .header("Authorization", "Bearer test-token")
        .post("/targets/ltc-regtest/snapshots")
        .then()
        .statusCode(202);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> "refused".equals(given().get("/targets/ltc-regtest").path("latestRun.state")));
    given()
        .get("/targets/ltc-regtest")
        .then()
        .body(
            "latestRun.error", org.hamcrest.Matchers.containsString("blocks behind the reference"));

    SnapshotSkipped skipped =
        EventCodec.decode(
            EventType.SNAPSHOT_SKIPPED,
            new KafkaTestClient(KafkaResource.bootstrapServers())
                .await(
                    Topics.SNAPSHOT_SKIPPED,
                    r -> "ltc-regtest".equals(r.key()),
                    Duration.ofSeconds(30))
                .get(0)
                .value());
    assertEquals(SkipReason.LAGGING, skipped.reason());
    assertEquals(Trigger.REST, skipped.trigger());
    // the counter exists at 0 from the start: the refusal must have counted
    assertTrue(
        PrometheusScrape.of(given().get("/q/metrics").asString())
                .value(
                    "chainsnap_snapshot_refused_total",
                    Map.of("reason", "lagging", "target", "ltc-regtest"))
                .orElse(0)
            >= 1,
        "refusals are counted");

    // the source catches up: the gate lets it through
    LitecoinResource.node().mineTo(reference);
    given()
        .header("Authorization", "Bearer test-token")
        .post("/targets/ltc-regtest/snapshots")
        .then()
        .statusCode(202)
        .body("state", equalTo("running"));
    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () -> "succeeded".equals(given().get("/targets/ltc-regtest").path("latestRun.state")));
  }
}
