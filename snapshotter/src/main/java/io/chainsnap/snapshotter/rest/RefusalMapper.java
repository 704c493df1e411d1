package io.chainsnap.snapshotter.rest;

import io.chainsnap.snapshotter.service.SnapshotRefusedException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;

/** A refused snapshot is a client-visible answer, not a server error. */
@Provider
public class RefusalMapper implements ExceptionMapper<SnapshotRefusedException> {
  @Override
  public Response toResponse(SnapshotRefusedException e) {
    Response.Status status =
        switch (e.reason()) {
          case UNKNOWN_TARGET -> Response.Status.NOT_FOUND;
          case BUSY -> Response.Status.CONFLICT;
          default -> Response.Status.SERVICE_UNAVAILABLE;
        };
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON)
        .entity(Map.of("error", e.getMessage(), "reason", e.reason().wireName()))
        .build();
  }
}
