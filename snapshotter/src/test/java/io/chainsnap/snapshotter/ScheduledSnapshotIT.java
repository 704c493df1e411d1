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
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              Response target = given().get("/targets/ltc-regtest");
              return "schedule".equals(target.path("latestRun.trigger"))
                  && "succeeded".equals(target.path("latestRun.state"));
            });
    Response target = given().get("/targets/ltc-regtest");
    String id = target.path("latestRun.snapshotId");
    assertTrue(id.startsWith("litecoin-regtest-full-"), id);
    assertTrue(LitecoinResource.node().daemon().isRunning(), "the node runs after the snapshot");
  }
}
