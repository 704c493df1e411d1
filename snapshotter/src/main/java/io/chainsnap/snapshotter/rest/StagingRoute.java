package io.chainsnap.snapshotter.rest;

import io.chainsnap.snapshotter.config.SnapshotterConfig;
import io.chainsnap.snapshotter.staging.StagingUrls;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * Serves the staging directory under {@code /staging/} (with HTTP ranges) so the publisher can
 * fetch archives by the signed URL in {@code snapshot-created}; unsigned, tampered or expired URLs
 * get 403. Unfinished files end in {@code .partial} and are never announced.
 */
@ApplicationScoped
public class StagingRoute {
  void register(@Observes Router router, SnapshotterConfig config, StagingUrls urls) {
    try {
      Files.createDirectories(config.staging().dir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create staging dir " + config.staging().dir(), e);
    }
    router
        .route("/staging/*")
        .handler(
            ctx -> {
              String path = ctx.normalizedPath().substring("/staging".length());
              if (urls.valid(
                  path, ctx.request().getParam("expires"), ctx.request().getParam("signature"))) {
                ctx.next();
              } else {
                ctx.response().setStatusCode(403).end("staging URLs must be signed and unexpired");
              }
            });
    router
        .route("/staging/*")
        .handler(
            StaticHandler.create(
                    FileSystemAccess.ROOT, config.staging().dir().toAbsolutePath().toString())
                .setCachingEnabled(false)
                .setDirectoryListing(false)
                // the staging dir itself may sit under a hidden directory (.stack)
                .setIncludeHidden(true)
                .setEnableRangeSupport(true)
                .setSendVaryHeader(false));
  }
}
