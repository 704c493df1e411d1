package io.chainsnap.publisher.rest;

import io.chainsnap.publisher.service.RetentionService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /retention/plan}: what retention would do now, per chain/network with a policy (every
 * listed snapshot with the rules that keep it or why it expires, and the expired ones whose objects
 * wait for the download window). Read-only: changes nothing.
 */
@Path("/retention")
public class RetentionResource {
  private final RetentionService retention;

  public RetentionResource(RetentionService retention) {
    this.retention = retention;
  }

  @GET
  @Path("/plan")
  @Produces(MediaType.APPLICATION_JSON)
  public List<RetentionService.Plan> plan(
      @QueryParam("chain") String chain, @QueryParam("network") String network) {
    Instant now = Instant.now();
    return retention.chainNetworks().stream()
        .filter(cn -> chain == null || cn[0].equals(chain))
        .filter(cn -> network == null || cn[1].equals(network))
        .map(cn -> retention.plan(cn[0], cn[1], now))
        .toList();
  }
}
