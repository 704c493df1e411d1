package io.chainsnap.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainsnap.archive.ArchiveReader;
import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.chain.BitcoinCoreDaemon;
import io.chainsnap.chain.BitcoinCoreRpc;
import io.chainsnap.domain.ByteSize;
import io.chainsnap.events.EventCodec;
import io.chainsnap.events.EventType;
import io.chainsnap.events.SnapshotCreated;
import io.chainsnap.events.Topics;
import io.chainsnap.testsupport.Components;
import io.chainsnap.testsupport.KafkaBroker;
import io.chainsnap.testsupport.KafkaTestClient;
import io.chainsnap.testsupport.LitecoinNode;
import io.chainsnap.testsupport.Ports;
import io.chainsnap.testsupport.ServiceProcess;
import io.chainsnap.testsupport.SnapshotterProperties;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Node downtime per snapshot (issue 4, "Measure"): {@code quiesce=stop} against {@code
 * quiesce=pause-checkpoint} on a real litecoind regtest node whose data dir is padded past 1 GiB.
 *
 * <p>Starts a Kafka broker in this JVM and a litecoind (a few hundred blocks mined, plus a {@code
 * padding/} directory of 64 MiB {@code *.sst} files the node ignores and a few small files that a
 * checkpoint copies), then for each strategy runs the snapshotter's built artifact ({@code
 * snapshotter/target/quarkus-app/quarkus-run.jar}) as a process and takes N snapshots through its
 * token-protected REST trigger. Per snapshot it reads {@code nodeDowntimeMillis} from the {@code
 * snapshot-created} event, and measures independently the longest time the node's RPC did not
 * answer (a prober thread calls {@code getblockcount} every 10 ms). Every snapshot is verified: the
 * staged archive is extracted with {@link ArchiveReader} and a second litecoind booted on it must
 * report the event's height and best block hash.
 *
 * <pre>
 * java -cp ... io.chainsnap.bench.DowntimeBench --work DIR [--snapshots 3] [--padding 1G]
 *     [--blocks 300] [--chunk-size 64M] [--strategies stop,pause-checkpoint] [--keep]
 * </pre>
 *
 * Prints one line per snapshot, a summary, and a line starting with {@code RESULT}. Exits 1 on a
 * broken run (a snapshot that failed or does not restore), never because of a slow one.
 */
public final class DowntimeBench {
  private static final String TARGET = "ltc";
  private static final String TOKEN = "bench-token";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PADDING_FILE = 64 << 20;

  private final Path work;
  private final int snapshots;
  private final long padding;
  private final int blocks;
  private final long chunkSize;
  private final List<String> strategies;
  private final HttpClient http = HttpClient.newHttpClient();

  private KafkaBroker kafka;
  private LitecoinNode node;
  private ServiceProcess agent;

  private DowntimeBench(
      Path work, int snapshots, long padding, int blocks, long chunkSize, List<String> strategies) {
    this.work = work;
    this.snapshots = snapshots;
    this.padding = padding;
    this.blocks = blocks;
    this.chunkSize = chunkSize;
    this.strategies = strategies;
  }

  /** One snapshot's figures. */
  record Sample(
      String strategy,
      String snapshotId,
      long height,
      long reportedMillis,
      long observedMillis,
      long totalMillis,
      long archiveBytes,
      long contentBytes,
      boolean verified) {}

  public static void main(String[] args) {
    Path work = null;
    int snapshots = 3;
    long padding = 1L << 30;
    int blocks = 300;
    long chunkSize = 64L << 20; // the snapshotter's default
    boolean keep = false;
    List<String> strategies = List.of("stop", "pause-checkpoint");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--work" -> work = Path.of(args[++i]);
        case "--snapshots" -> snapshots = Integer.parseInt(args[++i]);
        case "--padding" -> padding = ByteSize.of(args[++i]).bytes();
        case "--blocks" -> blocks = Integer.parseInt(args[++i]);
        case "--chunk-size" -> chunkSize = ByteSize.of(args[++i]).bytes();
        case "--strategies" -> strategies = List.of(args[++i].split(","));
        case "--keep" -> keep = true;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (work == null) {
      throw new IllegalArgumentException("usage: DowntimeBench --work DIR [options]");
    }
    DowntimeBench bench =
        new DowntimeBench(work.toAbsolutePath(), snapshots, padding, blocks, chunkSize, strategies);
    int status = 0;
    try {
      bench.run();
    } catch (Exception | AssertionError e) {
      System.out.println("BROKEN RUN: " + e);
      e.printStackTrace(System.out);
      status = 1;
    } finally {
      bench.close();
      if (!keep && status == 0) {
        Components.deleteRecursively(bench.work);
      }
    }
    System.exit(status);
  }

  private void run() throws Exception {
    Components.deleteRecursively(work);
    Files.createDirectories(work);
    long t0 = System.nanoTime();
    kafka = KafkaBroker.startInJvm(work.resolve("kafka"));
    node = LitecoinNode.start(work.resolve("node"), 0);
    node.mineTo(blocks);
    long padded = pad(node.daemon().config().chainDir());
    System.out.printf(
        "setup: kafka %s, litecoind pid %d at height %d, data dir %s: %d bytes (%d of padding)"
            + " in %.1f s; snapshotter chunk size %d MiB%n",
        kafka.bootstrapServers(),
        node.daemon().pid().orElse(-1L),
        node.height(),
        node.dataDir(),
        treeSize(node.dataDir()),
        padded,
        (System.nanoTime() - t0) / 1e9,
        chunkSize >> 20);
    List<Sample> samples = new ArrayList<>();
    for (String strategy : strategies) {
      startAgent(strategy);
      try {
        for (int i = 1; i <= snapshots; i++) {
          node.mine(3);
          Sample s = snapshot(strategy);
          samples.add(s);
          System.out.printf(
              Locale.ROOT,
              "  %-16s #%d %s: height %d, downtime reported %d ms, RPC unanswered %d ms,"
                  + " snapshot %.1f s, archive %d -> %d bytes, restore verified: %s%n",
              strategy,
              i,
              s.snapshotId(),
              s.height(),
              s.reportedMillis(),
              s.observedMillis(),
              s.totalMillis() / 1000.0,
              s.contentBytes(),
              s.archiveBytes(),
              s.verified());
        }
      } finally {
        agent.close();
        agent = null;
      }
    }
    summarize(samples);
  }

  /** Writes the padding the node ignores: 64 MiB {@code *.sst} files and a few small files. */
  private long pad(Path chainDir) throws IOException {
    Path dir = chainDir.resolve("padding");
    Files.createDirectories(dir);
    long written = 0;
    CorpusGenerator.Stats stats = new CorpusGenerator.Stats();
    int n = 0;
    for (long left = padding; left > 0; left -= PADDING_FILE, n++) {
      long size = Math.min(left, PADDING_FILE);
      // alternately structured (compressible) and random tables, as in a node's LevelDB
      CorpusGenerator.Spec spec =
          new CorpusGenerator.Spec(
              String.format("%06d.sst", n),
              size,
              n % 2 == 0 ? CorpusGenerator.Kind.TABLE_SORTED : CorpusGenerator.Kind.TABLE_RANDOM,
              CorpusGenerator.mix(7, n));
      writeFile(dir.resolve(spec.path()), spec, stats);
      written += size;
    }
    // small files that change in place: a checkpoint copies them while the node is frozen
    for (int i = 0; i < 4; i++) {
      CorpusGenerator.Spec spec =
          new CorpusGenerator.Spec(
              "state-" + i + ".dat",
              256 << 10,
              CorpusGenerator.Kind.SMALL_STRUCTURED,
              CorpusGenerator.mix(8, i));
      writeFile(dir.resolve(spec.path()), spec, stats);
      written += spec.size();
    }
    return written;
  }

  private static void writeFile(Path file, CorpusGenerator.Spec spec, CorpusGenerator.Stats stats)
      throws IOException {
    CorpusGenerator.ContentWriter content = new CorpusGenerator.ContentWriter(spec, stats);
    byte[] buffer = new byte[1 << 20];
    try (FileChannel out =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      long left = spec.size();
      while (left > 0) {
        int n = (int) Math.min(buffer.length, left);
        content.fill(buffer, n);
        ByteBuffer b = ByteBuffer.wrap(buffer, 0, n);
        while (b.hasRemaining()) {
          out.write(b);
        }
        left -= n;
      }
    }
  }

  private void startAgent(String strategy) {
    Map<String, String> props =
        SnapshotterProperties.agent(kafka.bootstrapServers(), work.resolve("staging"), TOKEN);
    props.put("snapshotter.archive.chunk-size", String.valueOf(chunkSize));
    props.put("quarkus.log.console.json.enabled", "false");
    props.putAll(SnapshotterProperties.litecoinRegtest(TARGET, node, strategy));
    agent =
        ServiceProcess.start(
            "snapshotter",
            Ports.free(),
            props,
            work,
            work.resolve("snapshotter-" + strategy + ".log"));
  }

  private Sample snapshot(String strategy) throws Exception {
    RpcProber prober = new RpcProber(node.daemon().config());
    prober.start();
    long started = System.nanoTime();
    HttpResponse<String> accepted =
        http.send(
            HttpRequest.newBuilder(URI.create(agent.url("/targets/" + TARGET + "/snapshots")))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (accepted.statusCode() != 202) {
      prober.finish();
      throw new IllegalStateException(
          "trigger answered " + accepted.statusCode() + ": " + accepted.body());
    }
    JsonNode run = awaitRun(Duration.ofMinutes(10));
    long total = (System.nanoTime() - started) / 1_000_000;
    // the node must answer again before the prober stops (stop restarts it)
    awaitRpc(Duration.ofMinutes(2));
    long observed = prober.finish();
    if (!"succeeded".equals(run.path("state").asText())) {
      throw new IllegalStateException("snapshot " + run + " did not succeed; see the agent's log");
    }
    String id = run.path("snapshotId").asText();
    SnapshotCreated created =
        EventCodec.decode(
            EventType.SNAPSHOT_CREATED,
            new KafkaTestClient(kafka.bootstrapServers())
                .await(Topics.SNAPSHOT_CREATED, r -> id.equals(r.key()), Duration.ofSeconds(60))
                .get(0)
                .value());
    if (!strategy.equals(created.quiesce().wireName())) {
      throw new IllegalStateException("event says quiesce " + created.quiesce());
    }
    Path staged = work.resolve("staging").resolve(id);
    boolean verified = verifyRestore(staged, created);
    long archiveBytes = Files.size(staged.resolve("snapshot.tar.zst"));
    long contentBytes = created.archive().contentSize();
    Components.deleteRecursively(staged);
    return new Sample(
        strategy,
        id,
        created.height(),
        created.nodeDowntimeMillis(),
        observed,
        total,
        archiveBytes,
        contentBytes,
        verified);
  }

  private JsonNode awaitRun(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(agent.url("/targets/" + TARGET))).build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode run = JSON.readTree(r.body()).path("latestRun");
      String state = run.path("state").asText("");
      if (!state.isEmpty() && !state.equals("running")) {
        return run;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the snapshot did not finish within " + timeout);
  }

  private void awaitRpc(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (node.rpc().isReady()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("the node does not answer RPC after the snapshot");
  }

  /** Extracts the staged archive and boots a second litecoind on it: same height and tip? */
  private boolean verifyRestore(Path staged, SnapshotCreated created) throws IOException {
    SnapshotMetadata metadata;
    try (InputStream in = Files.newInputStream(staged.resolve(SnapshotMetadata.FILE_NAME))) {
      metadata = SnapshotMetadata.read(in);
    }
    Path restored = work.resolve("restored");
    Components.deleteRecursively(restored);
    try {
      BitcoinCoreDaemon copy =
          new BitcoinCoreDaemon(LitecoinNode.config(restored.resolve("data"), Ports.free()));
      ArchiveReader.create()
          .extract(
              staged.resolve("snapshot.tar.zst"), metadata.archive(), copy.config().chainDir());
      copy.start(Duration.ofSeconds(120));
      try {
        long height = copy.rpc().call("getblockcount").asLong();
        String hash = copy.rpc().call("getbestblockhash").asText();
        if (height != created.height() || !hash.equals(created.blockHash())) {
          throw new IllegalStateException(
              "restored node of "
                  + created.snapshotId()
                  + " is at "
                  + height
                  + "/"
                  + hash
                  + ", the event says "
                  + created.height()
                  + "/"
                  + created.blockHash());
        }
        return true;
      } finally {
        copy.stop(Duration.ofSeconds(60));
      }
    } finally {
      Components.deleteRecursively(restored);
    }
  }

  private static void summarize(List<Sample> samples) {
    System.out.println();
    System.out.println("== node downtime per snapshot (ms) ==");
    System.out.printf(
        "%-18s %5s %12s %12s %16s %16s %14s%n",
        "strategy", "n", "reported min", "median", "RPC gap min", "RPC gap median", "snapshot med");
    Map<String, long[]> medians = new LinkedHashMap<>();
    for (String strategy : samples.stream().map(Sample::strategy).distinct().toList()) {
      List<Sample> s = samples.stream().filter(x -> x.strategy().equals(strategy)).toList();
      long[] reported = s.stream().mapToLong(Sample::reportedMillis).sorted().toArray();
      long[] observed = s.stream().mapToLong(Sample::observedMillis).sorted().toArray();
      long[] total = s.stream().mapToLong(Sample::totalMillis).sorted().toArray();
      medians.put(strategy, new long[] {median(reported), median(observed)});
      System.out.printf(
          "%-18s %5d %12d %12d %16d %16d %12.1f s%n",
          strategy,
          s.size(),
          reported[0],
          median(reported),
          observed[0],
          median(observed),
          median(total) / 1000.0);
    }
    long[] stop = medians.get("stop");
    long[] pause = medians.get("pause-checkpoint");
    if (stop != null && pause != null) {
      double ratio = stop[0] / (double) Math.max(1, pause[0]);
      double observedRatio = stop[1] / (double) Math.max(1, pause[1]);
      System.out.printf(
          Locale.ROOT,
          "ratio stop/pause of the medians: reported %.1fx, RPC gap %.1fx%n",
          ratio,
          observedRatio);
      System.out.printf(
          Locale.ROOT,
          "goal pause < 2 s: %s (median %d ms); goal >= 20x less than stop: %s (%.1fx)%n",
          pause[0] < 2000 ? "MET" : "NOT MET",
          pause[0],
          ratio >= 20 ? "MET" : "NOT MET",
          ratio);
      System.out.printf(
          Locale.ROOT,
          "RESULT stop_median_ms=%d pause_median_ms=%d ratio=%.1f stop_rpc_gap_ms=%d"
              + " pause_rpc_gap_ms=%d restores_verified=%d/%d%n",
          stop[0],
          pause[0],
          ratio,
          stop[1],
          pause[1],
          samples.stream().filter(Sample::verified).count(),
          samples.size());
    } else {
      System.out.printf(
          "RESULT restores_verified=%d/%d%n",
          samples.stream().filter(Sample::verified).count(), samples.size());
    }
  }

  private static long median(long[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static long treeSize(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile)
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  return 0;
                }
              })
          .sum();
    }
  }

  private void close() {
    if (agent != null) {
      agent.close();
    }
    if (node != null) {
      // never leave it frozen (should the agent have died during a pause)
      node.daemon()
          .pid()
          .ifPresent(
              pid -> {
                try {
                  new ProcessBuilder("kill", "-CONT", String.valueOf(pid)).start().waitFor();
                } catch (IOException e) {
                  // gone already
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      try {
        node.close();
      } catch (RuntimeException e) {
        System.out.println("cannot stop litecoind: " + e);
      }
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  /**
   * Calls {@code getblockcount} every 10 ms on its own connection and keeps the longest time
   * between two answers: how long the node did not serve, seen from a client.
   */
  static final class RpcProber extends Thread {
    private final BitcoinCoreRpc rpc;
    private volatile boolean running = true;
    private long lastAnswer;
    private long longestGap;

    RpcProber(BitcoinCoreDaemon.Config config) {
      super("rpc-prober");
      setDaemon(true);
      this.rpc =
          new BitcoinCoreRpc(
              URI.create("http://127.0.0.1:" + config.rpcPort() + "/"),
              config.rpcUser(),
              config.rpcPassword(),
              Duration.ofSeconds(120));
    }

    @Override
    public void run() {
      lastAnswer = System.nanoTime();
      while (running) {
        try {
          rpc.call("getblockcount");
          long now = System.nanoTime();
          longestGap = Math.max(longestGap, now - lastAnswer);
          lastAnswer = now;
        } catch (RuntimeException e) {
          // down or warming up: the gap grows
        }
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    /** Stops probing; the longest gap in milliseconds. */
    long finish() throws InterruptedException {
      running = false;
      join(150_000);
      return longestGap / 1_000_000;
    }
  }
}
