package io.chainsnap.snapshotter.rest;

import io.chainsnap.domain.Trigger;
import io.chainsnap.snapshotter.config.SnapshotterConfig;
import io.chainsnap.snapshotter.service.RunStatus;
import io.chainsnap.snapshotter.service.SnapshotRunner;
import io.chainsnap.snapshotter.targets.SourceNode;
import io.chainsnap.snapshotter.targets.Targets;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;

/** Targets, their latest run, and the token-protected snapshot trigger. */
@Path("/targets")
@Produces(MediaType.APPLICATION_JSON)
public class TargetResource {
  private final Targets targets;
  private final SnapshotRunner runner;
  private final SnapshotterConfig config;

  public TargetResource(Targets targets, SnapshotRunner runner, SnapshotterConfig config) {
    this.targets = targets;
    this.runner = runner;
    this.config = config;
  }

  /** Every target with what it is of and its latest run. */
  @GET
  public List<Map<String, Object>> list() {
    return targets.all().stream().map(this::describe).toList();
  }

  /** One target and its latest run. */
  @GET
  @Path("/{name}")
  public Map<String, Object> get(@PathParam("name") String name) {
    return targets
        .get(name)
        .map(this::describe)
        .orElseThrow(() -> new NotFoundException("no target named '" + name + "'"));
  }

  /** Starts a snapshot now: 202 with the run, 409 when one is running, 401 without the token. */
  @POST
  @Path("/{name}/snapshots")
  public Response trigger(
      @PathParam("name") String name, @HeaderParam("Authorization") String authorization) {
    if (config.requestToken().isEmpty()) {
      return error(
          Response.Status.FORBIDDEN, "the REST trigger is closed: set snapshotter.request-token");
    }
    if (!tokenMatches(authorization, config.requestToken().get())) {
      return error(Response.Status.UNAUTHORIZED, "missing or wrong bearer token");
    }
    RunStatus run = runner.submit(name, Trigger.REST);
    return Response.accepted(run).build();
  }

  private Map<String, Object> describe(SourceNode node) {
    return Map.of(
        "name", node.name(),
        "target", node.target(),
        "cron", node.config().cron(),
        "latestRun", runner.latest(node.name()).map(Object.class::cast).orElse(Map.of()));
  }

  private static boolean tokenMatches(String authorization, String token) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return false;
    }
    byte[] given = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8));
  }

  static Response error(Response.Status status, String message) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON)
        .entity(Map.of("error", message))
        .build();
  }
}
