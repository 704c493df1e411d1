package io.chainsnap.publisher.health;

import io.chainsnap.publisher.client.IpfsRpcClient;
import io.chainsnap.publisher.config.PublisherConfig;
import io.chainsnap.publisher.store.ArchiveStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the bucket can be listed and, if pinning is on, the IPFS node answers. */
@Readiness
@ApplicationScoped
public class StorageCheck implements HealthCheck {
  private final ArchiveStore store;
  private final PublisherConfig config;

  public StorageCheck(ArchiveStore store, PublisherConfig config) {
    this.store = store;
    this.config = config;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named("storage").up();
    try {
      store.list("_health/");
      response.withData("s3", "bucket " + store.bucket() + " reachable");
    } catch (RuntimeException e) {
      response.down().withData("s3", String.valueOf(e.getMessage()));
    }
    if (config.ipfs().enabled()) {
      try {
        String version = new IpfsRpcClient(config.ipfs().apiUrl(), Duration.ofSeconds(5)).version();
        response.withData("ipfs", "node " + version);
      } catch (RuntimeException e) {
        response.down().withData("ipfs", String.valueOf(e.getMessage()));
      }
    }
    return response.build();
  }
}
