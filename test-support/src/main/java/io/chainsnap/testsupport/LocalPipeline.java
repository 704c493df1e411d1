package io.chainsnap.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The whole pipeline on one machine, every part real: a Kafka broker (KRaft, its own JVM), s3proxy,
 * a js-ipfs node, a litecoind regtest source node with a deterministic chain, and the snapshotter,
 * publisher and verifier run from their built artifacts. Used by the end-to-end test and, through
 * {@link #main}, by the local run ({@code scripts/local-up.sh}).
 */
public final class LocalPipeline implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(LocalPipeline.class);

  /** The target name the local snapshotter uses for its litecoind. */
  public static final String TARGET = "litecoin-regtest";

  /** The bucket of published snapshots. */
  public static final String BUCKET = "chainsnap";

  /** Blocks the source chain has at least. */
  public static final int CHAIN_HEIGHT = 500;

  /**
   * Ports of the parts; 0 picks a free one.
   *
   * @param kafka broker
   * @param s3 s3proxy
   * @param snapshotter snapshotter HTTP
   * @param publisher publisher HTTP
   * @param verifier verifier HTTP
   */
  public record FixedPorts(int kafka, int s3, int snapshotter, int publisher, int verifier) {
    static FixedPorts any() {
      return new FixedPorts(0, 0, 0, 0, 0);
    }
  }

  private final Path dir;
  private final List<AutoCloseable> started = new ArrayList<>();
  private final String token = UUID.randomUUID().toString();
  private KafkaBroker kafka;
  private S3ProxyServer s3;
  private IpfsNode ipfs;
  private LitecoinNode litecoin;
  private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
  private final Map<String, Integer> servicePorts = new LinkedHashMap<>();
  private final PidFiles pids;

  private LocalPipeline(Path dir) {
    this.dir = dir;
    this.pids = new PidFiles(dir.resolve(PidFiles.DIR));
  }

  /** Starts everything under {@code dir} (state survives restarts) on {@code ports}. */
  public static LocalPipeline start(Path dir, FixedPorts ports) {
    LocalPipeline pipeline = new LocalPipeline(dir.toAbsolutePath());
    try {
      pipeline.startComponents(ports);
      pipeline.servicePorts.put("snapshotter", port(ports.snapshotter()));
      pipeline.servicePorts.put("publisher", port(ports.publisher()));
      pipeline.servicePorts.put("verifier", port(ports.verifier()));
      for (String service : pipeline.servicePorts.keySet()) {
        pipeline.startService(service);
      }
      return pipeline;
    } catch (RuntimeException e) {
      pipeline.close();
      throw e;
    }
  }

  private static int port(int configured) {
    return configured == 0 ? Ports.free() : configured;
  }

  private void startComponents(FixedPorts ports) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path logs = dir.resolve("logs");
    kafka =
        KafkaBroker.startProcess(
            dir.resolve("kafka"), port(ports.kafka()), Ports.free(), logs.resolve("kafka.log"));
    started.add(kafka);
    kafka.pid().ifPresent(pid -> pids.record("kafka", pid));
    s3 = S3ProxyServer.start(dir.resolve("s3"), ports.s3());
    started.add(s3);
    pids.record("s3proxy", s3.pid());
    ipfs = IpfsNode.start(dir.resolve("ipfs"), IpfsNode.defaultJsipfs());
    started.add(ipfs);
    pids.record("ipfs", ipfs.pid());
    litecoin = LitecoinNode.start(dir.resolve("litecoin"), 0);
    started.add(litecoin);
    litecoin.daemon().pid().ifPresent(pid -> pids.record("litecoind", pid));
    litecoin.mineTo(CHAIN_HEIGHT);
    LOG.infof(
        "components up: kafka %s, s3 %s, ipfs %s, litecoind rpc %d at height %d",
        kafka.bootstrapServers(),
        s3.endpoint(),
        ipfs.apiUrl(),
        litecoin.rpcPort(),
        litecoin.height());
  }

  /**
   * The publisher's index signing key under the stack dir ({@code signing/index-signing.key},
   * PKCS#8 PEM, mode 0600), made on first use and kept across restarts, with its public key beside
   * it ({@link #trustedKeyFile()}) for the CLI's {@code --trusted-key}. Plain JDK Ed25519, the
   * format {@code chainsnap keygen} writes.
   */
  public Path signingKey() {
    Path key = dir.resolve("signing/index-signing.key");
    Path pub = trustedKeyFile();
    try {
      if (!Files.exists(key) || !Files.exists(pub)) {
        Files.createDirectories(key.getParent());
        java.security.KeyPair pair =
            java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Files.deleteIfExists(key);
        Files.createFile(
            key,
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        Files.writeString(key, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Files.writeString(pub, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
      }
      return key;
    } catch (java.io.IOException | java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot make the index signing key " + key, e);
    }
  }

  /** The public key of {@link #signingKey()}: what clients pass to {@code --trusted-key}. */
  public Path trustedKeyFile() {
    return dir.resolve("signing/index-signing.pub");
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  /** The system properties that configure {@code service} against this stack. */
  public Map<String, String> properties(String service) {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("kafka.bootstrap.servers", kafka.bootstrapServers());
    props.put("quarkus.log.file.enabled", "false");
    switch (service) {
      case "snapshotter" -> {
        props.putAll(
            SnapshotterProperties.agent(kafka.bootstrapServers(), dir.resolve("staging"), token));
        // seconds of node downtime instead of the whole archive time; verified like any other
        props.putAll(SnapshotterProperties.litecoinRegtest(TARGET, litecoin, "pause-checkpoint"));
      }
      case "publisher" -> {
        props.put("publisher.s3.bucket", BUCKET);
        props.put("publisher.s3.endpoint", s3.endpoint());
        props.put("publisher.s3.access-key", S3ProxyServer.ACCESS_KEY);
        props.put("publisher.s3.secret-key", S3ProxyServer.SECRET_KEY);
        props.put("publisher.s3.region", S3ProxyServer.REGION);
        props.put("publisher.s3.path-style", "true");
        props.put("publisher.s3.public-read-acl", "true");
        props.put("publisher.s3.create-bucket", "true");
        props.put("publisher.ipfs.api-url", ipfs.apiUrl());
        props.put("publisher.ipfs.gateway-url", ipfs.gatewayUrl());
        props.put("publisher.signing.key-file", signingKey().toString());
        // the per-file mirror of the verified tree, in the same bucket under mirror/
        props.put("publisher.mirror.enabled", "true");
        props.put("publisher.mirror.prefix", "mirror");
        props.put("publisher.mirror.work-dir", dir.resolve("mirror-work").toString());
      }
      case "verifier" -> {
        props.put("verifier.work-dir", dir.resolve("verifier").toString());
        props.put("verifier.chains.litecoin.binary", Components.litecoind().toString());
        // re-verification on a short schedule: every chunk re-hashed every few seconds
        props.put("verifier.reverify.tick", "2s");
        props.put("verifier.reverify.cheap-every", "PT3S");
        props.put("verifier.reverify.sample-every", "PT3S");
        props.put("verifier.reverify.sampled-chunks", "1000");
      }
      default -> throw new IllegalArgumentException("unknown service " + service);
    }
    return props;
  }

  /**
   * Starts a real Prometheus that scrapes the three services (jobs {@code chainsnap-<service>}) and
   * evaluates the repository's alerting rules; stopped with the pipeline.
   */
  public PrometheusServer startPrometheus() {
    Map<String, String> jobs = new LinkedHashMap<>();
    servicePorts.forEach((service, port) -> jobs.put("chainsnap-" + service, "127.0.0.1:" + port));
    PrometheusServer server = PrometheusServer.start(dir.resolve("prometheus"), jobs);
    started.add(server);
    pids.record("prometheus", server.pid());
    LOG.infof("prometheus up at %s, scraping %s", server.url(), jobs);
    return server;
  }

  /** The base URL of running {@code service} (its {@code /q/metrics} is under it). */
  public String serviceUrl(String service) {
    ServiceProcess process = services.get(service);
    if (process == null) {
      throw new IllegalStateException(service + " is not running");
    }
    return process.url("");
  }

  /** Names of the services the pipeline runs. */
  public List<String> serviceNames() {
    return List.copyOf(servicePorts.keySet());
  }

  /** Starts (or starts again) one service. */
  public void startService(String service) {
    if (services.containsKey(service)) {
      throw new IllegalStateException(service + " is running");
    }
    Path log = dir.resolve("logs").resolve(service + ".log");
    ServiceProcess process =
        ServiceProcess.start(service, servicePorts.get(service), properties(service), dir, log);
    services.put(service, process);
    pids.record(service, process.pid());
    LOG.infof("%s up at %s (pid %d)", service, process.url("/"), process.pid());
  }

  /** Whether {@code service} runs (it may have been stopped by a control request). */
  public boolean isRunning(String service) {
    return services.containsKey(service);
  }

  /** Process id of a running service. */
  public long pid(String service) {
    ServiceProcess process = services.get(service);
    if (process == null) {
      throw new IllegalStateException(service + " is not running");
    }
    return process.pid();
  }

  /** Stops one service (the rest keeps running). */
  public void stopService(String service) {
    ServiceProcess process = services.remove(service);
    if (process != null) {
      process.close();
      pids.forget(service);
      LOG.infof("%s stopped", service);
    }
  }

  public String snapshotterUrl() {
    return services.get("snapshotter").url("");
  }

  public String token() {
    return token;
  }

  /** Public URL of the index of the local chain. */
  public String indexUrl() {
    return s3.endpoint() + "/" + BUCKET + "/litecoin/regtest/index.json";
  }

  /** The publisher's downloads page ({@code index.html} beside the index). */
  public String pageUrl() {
    return s3.endpoint() + "/" + BUCKET + "/litecoin/regtest/index.html";
  }

  public S3ProxyServer s3() {
    return s3;
  }

  public LitecoinNode litecoin() {
    return litecoin;
  }

  public IpfsNode ipfs() {
    return ipfs;
  }

  public KafkaBroker kafka() {
    return kafka;
  }

  /** The file in which s3proxy keeps {@code key} of the bucket (to simulate bit rot in tests). */
  public Path objectFile(String key) {
    return dir.resolve("s3").resolve("buckets").resolve(BUCKET).resolve(key);
  }

  @Override
  public void close() {
    for (String service : List.copyOf(services.keySet())) {
      stopService(service);
    }
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        LOG.warnf("stopping %s failed: %s", started.get(i), e.getMessage());
      }
    }
    started.clear();
    pids.forgetAll();
  }

  /** File under the pipeline's directory holding the snapshotter's bearer token (mode 0600). */
  public static final String TOKEN_FILE = "snapshot-token";

  /**
   * Runs the pipeline until SIGTERM: {@code LocalPipeline DIR [KAFKA S3 SNAPSHOTTER PUBLISHER
   * VERIFIER]}. When ready, writes the snapshotter's token to {@code DIR/snapshot-token} and {@code
   * DIR/pipeline.env} (shell syntax, see {@link #writeEnv}).
   */
  public static void main(String[] args) throws Exception {
    SupervisorLog.install();
    Path dir = Path.of(args.length > 0 ? args[0] : ".stack/local").toAbsolutePath();
    FixedPorts ports =
        args.length >= 6
            ? new FixedPorts(
                Integer.parseInt(args[1]),
                Integer.parseInt(args[2]),
                Integer.parseInt(args[3]),
                Integer.parseInt(args[4]),
                Integer.parseInt(args[5]))
            : FixedPorts.any();
    Files.deleteIfExists(dir.resolve("pipeline.env"));
    LocalPipeline pipeline = start(dir, ports);
    Runtime.getRuntime().addShutdownHook(new Thread(pipeline::close, "local-pipeline-stop"));
    PrometheusServer prometheus = pipeline.startPrometheus();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SNAPSHOTTER_URL", pipeline.snapshotterUrl());
    env.put("PUBLISHER_URL", pipeline.services.get("publisher").url(""));
    env.put("VERIFIER_URL", pipeline.services.get("verifier").url(""));
    env.put("TARGET", TARGET);
    env.put("INDEX_URL", pipeline.indexUrl());
    env.put("TRUSTED_KEY_FILE", pipeline.trustedKeyFile().toString());
    env.put("PAGE_URL", pipeline.pageUrl());
    env.put("S3_ENDPOINT", pipeline.s3().endpoint());
    env.put("S3_BUCKET", BUCKET);
    env.put("S3_REGION", S3ProxyServer.REGION);
    env.put("S3_ACCESS_KEY", S3ProxyServer.ACCESS_KEY);
    env.put("S3_SECRET_KEY", S3ProxyServer.SECRET_KEY);
    env.put("IPFS_API", pipeline.ipfs().apiUrl());
    env.put("IPFS_GATEWAY", pipeline.ipfs().gatewayUrl());
    env.put("KAFKA", pipeline.kafka().bootstrapServers());
    env.put("PROMETHEUS_URL", prometheus.url());
    env.put("LITECOIN_RPC_PORT", String.valueOf(pipeline.litecoin().rpcPort()));
    env.put("LITECOIN_PID", String.valueOf(pipeline.litecoin().daemon().pid().orElse(0L)));
    Path written = writeEnv(dir, env, pipeline.token());
    LOG.info("local pipeline ready; " + written);
    new LocalControl(dir.resolve(LocalControl.DIR), pipeline).run();
  }

  /**
   * Writes {@code token} to {@code dir/snapshot-token} and {@code values} plus {@code
   * SNAPSHOT_TOKEN_FILE} (the token's path, never the token) to {@code dir/pipeline.env}, one
   * {@code NAME=value} line each; both files mode 0600 (the env file holds the S3 secret key).
   * {@code pipeline.env} appears whole (renamed into place), so that a reader never sees half of
   * it.
   *
   * @return the env file
   */
  static Path writeEnv(Path dir, Map<String, String> values, String token) throws IOException {
    Path tokenFile = dir.resolve(TOKEN_FILE);
    writePrivate(tokenFile, token + "\n");
    StringBuilder text = new StringBuilder();
    values.forEach((name, value) -> text.append(name).append('=').append(value).append('\n'));
    text.append("SNAPSHOT_TOKEN_FILE=").append(tokenFile).append('\n');
    Path partial = dir.resolve("pipeline.env.partial");
    writePrivate(partial, text.toString());
    Path env = dir.resolve("pipeline.env");
    Files.move(partial, env, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return env;
  }

  /** Writes {@code text} to a new file {@code path} created with mode 0600 (replacing one). */
  private static void writePrivate(Path path, String text) throws IOException {
    Files.deleteIfExists(path);
    Files.createFile(
        path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(path, text);
  }
}
