package io.chainsnap.snapshotter;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.testsupport.KafkaResource;
import io.chainsnap.testsupport.LitecoinNode;
import io.chainsnap.testsupport.LitecoinResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code exec} controller with an operator's shell hooks (curl RPC stop, the daemon command
 * line to start, a pid-file check for status) over a real litecoind; the adapter is selected by
 * name and reached by URL, as for any chain.
 */
@QuarkusTest
@TestProfile(ExecControllerIT.Exec.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(LitecoinResource.class)
class ExecControllerIT {

  /** The test target controlled by shell commands. */
  public static class Exec implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      String n = "snapshotter.targets.ltc-regtest.node.";
      return Map.of(
          n + "controller", "exec",
          n + "rpc-url", "${chainsnap.test.litecoin.rpc-url}",
          n + "chain-dir", "${chainsnap.test.litecoin.data-dir}/regtest",
          n + "exec.stop", "${chainsnap.test.litecoin.stop-command}",
          n + "exec.start", "${chainsnap.test.litecoin.start-command}",
          n + "exec.status", "${chainsnap.test.litecoin.status-command}",
          n + "exec.pid", "${chainsnap.test.litecoin.pid-command}");
    }
  }

  @Test
  void hooksStopArchiveAndStartTheNode() {
    LitecoinNode node = LitecoinResource.node();
    long pidBefore = node.daemon().pid().orElseThrow();
    long height = node.mine(2);
    given()
        .header("Authorization", "Bearer test-token")
        .post("/targets/ltc-regtest/snapshots")
        .then()
        .statusCode(202);
    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () -> !"running".equals(given().get("/targets/ltc-regtest").path("latestRun.state")));
    assertEquals("succeeded", given().get("/targets/ltc-regtest").path("latestRun.state"));
    assertEquals(
        height,
        ((Number) given().get("/targets/ltc-regtest").path("latestRun.height")).longValue());
    assertTrue(node.rpc().isReady(), "the start hook brought the node back");
    assertNotEquals(
        pidBefore, node.daemon().pid().orElseThrow(), "it was really stopped and started");
  }
}
