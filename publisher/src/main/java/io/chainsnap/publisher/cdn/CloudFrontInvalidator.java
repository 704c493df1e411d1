package io.chainsnap.publisher.cdn;

import io.chainsnap.domain.Sha256;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.model.CreateInvalidationResponse;

/**
 * Invalidates {@code /<chain>/<network>/index.json} and the objects beside it ({@link #FILES})
 * after index changes, with {@code CreateInvalidation}. Changes within {@code coalesce} of the
 * first go into one invalidation. The caller reference is made of the chain/networks and their
 * index sequences, so a retried call for the same index is the same request (CloudFront answers it
 * with the invalidation it already made). A failure is logged and counted, never thrown: the index
 * is already stored, and the next change invalidates again.
 */
public final class CloudFrontInvalidator implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(CloudFrontInvalidator.class);

  /** The objects beside each index that change with it. */
  public static final List<String> FILES =
      List.of("index.json", "index.json.sig", "index.html", "feed.atom", "keys.json");

  /** CloudFront's limit on the length of a caller reference. */
  static final int MAX_CALLER_REFERENCE = 128;

  private final CloudFrontClient client;
  private final String distributionId;
  private final Duration coalesce;
  private final Counter created;
  private final Counter failed;
  private final ScheduledExecutorService executor;

  /** chain/network to the highest sequence not invalidated yet; guarded by {@code this}. */
  private final Map<String, Long> pending = new TreeMap<>();

  private ScheduledFuture<?> scheduled;

  /**
   * An invalidator of distribution {@code distributionId} over {@code client} (closed with this),
   * counting in {@code registry}.
   */
  public CloudFrontInvalidator(
      CloudFrontClient client, String distributionId, Duration coalesce, MeterRegistry registry) {
    this.client = client;
    this.distributionId = distributionId;
    this.coalesce = coalesce;
    this.created =
        Counter.builder("chainsnap.publisher.cdn.invalidations")
            .description("CloudFront invalidations of index objects, by outcome")
            .tag("outcome", "created")
            .register(registry);
    this.failed =
        Counter.builder("chainsnap.publisher.cdn.invalidations")
            .description("CloudFront invalidations of index objects, by outcome")
            .tag("outcome", "failed")
            .register(registry);
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "cloudfront-invalidation");
              t.setDaemon(true);
              return t;
            });
  }

  /** Schedules the invalidation of the index objects of {@code chain/network}; never blocks. */
  public synchronized void indexChanged(String chain, String network, long sequence) {
    pending.merge(chain + "/" + network, sequence, Math::max);
    if (scheduled == null) {
      scheduled = executor.schedule(this::flush, coalesce.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Sends what is pending now; false if nothing was pending or the call failed. */
  public boolean flush() {
    Map<String, Long> batch;
    synchronized (this) {
      batch = new TreeMap<>(pending);
      pending.clear();
      scheduled = null;
    }
    if (batch.isEmpty()) {
      return false;
    }
    try {
      invalidate(batch);
      return true;
    } catch (RuntimeException e) {
      failed.increment();
      LOG.warnf(
          "CloudFront invalidation of %s (distribution %s) failed: %s; the next index change"
              + " invalidates again",
          batch.keySet(), distributionId, e.toString());
      return false;
    }
  }

  /** Invalidates the index objects of the chain/networks of {@code batch} (to their sequence). */
  CreateInvalidationResponse invalidate(Map<String, Long> batch) {
    List<String> paths = paths(batch);
    String reference = callerReference(batch);
    CreateInvalidationResponse response =
        client.createInvalidation(
            r ->
                r.distributionId(distributionId)
                    .invalidationBatch(
                        b ->
                            b.callerReference(reference)
                                .paths(p -> p.quantity(paths.size()).items(paths))));
    created.increment();
    LOG.infof(
        "CloudFront invalidation %s (%s) of %d paths for %s",
        response.invalidation().id(), response.invalidation().status(), paths.size(), reference);
    return response;
  }

  /** The paths to invalidate for the chain/networks of {@code batch}. */
  static List<String> paths(Map<String, Long> batch) {
    List<String> paths = new ArrayList<>();
    for (String dir : batch.keySet()) {
      for (String file : FILES) {
        paths.add("/" + dir + "/" + file);
      }
    }
    return paths;
  }

  /**
   * The caller reference of {@code batch}: {@code chainsnap:<chain>/<network>@<sequence>,...}, or,
   * when longer than CloudFront allows, {@code chainsnap:sha256:} and the hash of that.
   */
  static String callerReference(Map<String, Long> batch) {
    String plain =
        "chainsnap:"
            + batch.entrySet().stream()
                .map(e -> e.getKey() + "@" + e.getValue())
                .collect(Collectors.joining(","));
    if (plain.length() <= MAX_CALLER_REFERENCE) {
      return plain;
    }
    return "chainsnap:sha256:" + Sha256.hex(plain.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends what is pending, then stops. */
  @Override
  public void close() {
    synchronized (this) {
      if (scheduled != null) {
        scheduled.cancel(false);
      }
    }
    try {
      flush();
    } finally {
      executor.shutdownNow();
      client.close();
    }
  }
}
