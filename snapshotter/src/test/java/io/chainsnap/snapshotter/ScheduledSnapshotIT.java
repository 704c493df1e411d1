package io.chainsnap.snapshotter;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.testsupport.KafkaResource;
import io.chainsnap.testsupport.LitecoinResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A target with a cron is snapshotted on schedule, over the real node and broker. */
@QuarkusTest
@TestProfile(ScheduledSnapshotIT.EveryFewSeconds.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(LitecoinResource.class)
class ScheduledSnapshotIT {

  /** The test target on a cron of every five seconds. */
  public static class EveryFewSeconds implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("snapshotter.targets.ltc-regtest.cron", "0/5 * * * * ?");
    }
  }

  @Test
  void theCronTakesSnapshots() {
    // assert on the very response that showed the succeeded run: the next slot may start a new
    // run (no snapshot id yet, node stopped) at any moment after it
    Response target =
        await()
            .atMost(Duration.ofSeconds(90))
            .until(
                () -> given().get("/targets/ltc-regtest"),
                r ->
                    "schedule".equals(r.path("latestRun.trigger"))
                        && "succeeded".equals(r.path("latestRun.state")));
    String id = target.path("latestRun.snapshotId");
    assertTrue(id.startsWith("litecoin-regtest-full-"), id);
    // the node runs after each snapshot; a later slot may be stopping it right now, so wait for it
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> LitecoinResource.node().daemon().isRunning());
  }
}
