package io.chainsnap.snapshotter.service;

import io.chainsnap.snapshotter.config.SnapshotterConfig;
import io.quarkus.runtime.LaunchMode;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.ConfigProvider;

/** The URLs under which staged files are served to the publisher (the claim check). */
@ApplicationScoped
public class StagingUrls {
  private final SnapshotterConfig config;

  public StagingUrls(SnapshotterConfig config) {
    this.config = config;
  }

  /** URL of {@code file} of snapshot {@code snapshotId}. */
  public String url(String snapshotId, String file) {
    return base() + "/" + snapshotId + "/" + file;
  }

  private String base() {
    return config
        .staging()
        .baseUrl()
        .map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url)
        .orElseGet(
            () -> {
              // read late: with port 0 the real port is only known once the server listens
              String property =
                  LaunchMode.current() == LaunchMode.TEST
                      ? "quarkus.http.test-port"
                      : "quarkus.http.port";
              int port =
                  ConfigProvider.getConfig().getOptionalValue(property, Integer.class).orElse(8080);
              return "http://127.0.0.1:" + port + "/staging";
            });
  }
}
