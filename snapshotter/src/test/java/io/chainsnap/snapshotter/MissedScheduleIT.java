package io.chainsnap.snapshotter;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.testsupport.Components;
import io.chainsnap.testsupport.KafkaResource;
import io.chainsnap.testsupport.LitecoinResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The agent was down while a scheduled slot passed (its schedule record says it last handled a slot
 * in 2020; the cron fires yearly on 1 January): on start it takes exactly one snapshot, over the
 * real node and broker, and records the slot as handled.
 */
@QuarkusTest
@TestProfile(MissedScheduleIT.DownSince2020.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(LitecoinResource.class)
class MissedScheduleIT {
  static final Instant LAST_HANDLED = Instant.parse("2020-01-01T00:00:00Z");

  /** A yearly cron, and a staging dir whose schedule record is years old. */
  public static class DownSince2020 implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(OldScheduleRecord.class));
    }
  }

  /** Prepares the staging directory before the agent starts, as an agent down for years left it. */
  public static class OldScheduleRecord implements QuarkusTestResourceLifecycleManager {
    static Path staging;

    @Override
    public Map<String, String> start() {
      try {
        staging = Files.createTempDirectory("chainsnap-missed-schedule-");
        Files.createDirectories(staging.resolve(".schedule"));
        Files.writeString(staging.resolve(".schedule/ltc-regtest.last"), LAST_HANDLED + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return Map.of(
          "snapshotter.staging.dir",
          staging.toString(),
          "snapshotter.targets.ltc-regtest.cron",
          "0 0 0 1 1 ? *");
    }

    @Override
    public void stop() {
      Components.deleteRecursively(staging);
    }
  }

  @Test
  void theMissedSlotFiresOnceAtStart() throws Exception {
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              Response target = given().get("/targets/ltc-regtest");
              return "schedule".equals(target.path("latestRun.trigger"))
                  && "succeeded".equals(target.path("latestRun.state"));
            });
    Response first = given().get("/targets/ltc-regtest");
    String id = first.path("latestRun.snapshotId");
    String started = first.path("latestRun.startedAt");
    assertTrue(id.startsWith("litecoin-regtest-full-"), id);

    Instant recorded =
        Instant.parse(
            Files.readString(OldScheduleRecord.staging.resolve(".schedule/ltc-regtest.last"))
                .strip());
    assertTrue(
        recorded.isAfter(Instant.now().minus(Duration.ofMinutes(5))),
        "the catch-up is recorded as handled: " + recorded);

    // once, not once per missed year: no second run follows
    Thread.sleep(3_000);
    Response later = given().get("/targets/ltc-regtest");
    assertEquals(started, later.path("latestRun.startedAt"));
    assertEquals(id, later.path("latestRun.snapshotId"));
    assertTrue(LitecoinResource.node().daemon().isRunning(), "the node runs after the snapshot");
  }
}
