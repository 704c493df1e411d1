package io.chainsnap.publisher.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chainsnap.archive.ArchiveManifest;
import io.chainsnap.archive.ArchiveWriter;
import io.chainsnap.archive.PathFilter;
import io.chainsnap.archive.SnapshotIndex;
import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.archive.restore.RestoreException;
import io.chainsnap.chain.ChainFamilies;
import io.chainsnap.domain.Mode;
import io.chainsnap.domain.QuiesceStrategy;
import io.chainsnap.domain.VerificationStatus;
import io.chainsnap.events.SnapshotTarget;
import io.chainsnap.publisher.store.CatalogKeys;
import io.chainsnap.testsupport.LitecoinNode;
import io.chainsnap.testsupport.S3ProxyServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The per-file mirror over real components: a real Litecoin regtest chain (litecoind), real
 * format-v1 archives of its data directory, s3proxy (SigV4) as both the main and the mirror bucket,
 * the publisher's mirror code restoring the published archive from the main bucket, and the two
 * clients operators use, Debian's {@code aws} (awscli v2) and {@code rclone}, syncing the tree
 * through a byte-counting TCP relay.
 *
 * <p>The chain is grown past its first 128 MiB block file (blocks of ~0.95 MB: a consensus-valid
 * transaction spending an {@code OP_TRUE} coinbase into one large output, mined with {@code
 * generateblock}), so that, as on mainnet, a snapshot has a closed block file that the next one
 * shares unchanged, beside the open one that changes.
 */
class MirrorIT {
  private static final Logger LOG = Logger.getLogger(MirrorIT.class);
  static final SnapshotTarget TARGET = new SnapshotTarget("litecoin", "regtest", Mode.FULL);
  static final String MAIN = "chainsnap-main";
  static final String MIRROR = "chainsnap-mirror";
  static final Path AWS = Path.of("/usr/bin/aws");

  static Path root;
  static S3ProxyServer s3proxy;
  static S3Client s3;
  static CountingProxy relay;

  @BeforeAll
  static void start() throws Exception {
    root = Files.createTempDirectory("chainsnap-mirror-it-").toRealPath();
    s3proxy = S3ProxyServer.start(Files.createDirectories(root.resolve("s3proxy")), 0);
    s3 =
        MirrorService.client(
            Optional.of(s3proxy.endpoint()),
            S3ProxyServer.REGION,
            Optional.of(S3ProxyServer.ACCESS_KEY),
            Optional.of(S3ProxyServer.SECRET_KEY),
            true);
    s3.createBucket(b -> b.bucket(MAIN));
    s3.createBucket(b -> b.bucket(MIRROR));
    relay = new CountingProxy(s3proxy.port());
  }

  @AfterAll
  static void stop() throws Exception {
    if (relay != null) {
      relay.close();
    }
    if (s3 != null) {
      s3.close();
    }
    if (s3proxy != null) {
      s3proxy.close();
    }
    if (root != null) {
      TreeMirror.deleteRecursively(root);
    }
  }

  @Test
  void mirrorsTwoSnapshotsUploadingAndSyncingOnlyWhatChanged() throws Exception {
    Path dataDir = Files.createDirectories(root.resolve("node"));
    long height;
    String tip;
    try (LitecoinNode node = LitecoinNode.start(dataDir, 0)) {
      growPastFirstBlockFile(node);
      height = node.height();
      tip = node.bestBlockHash();
    }
    Path chainDir = LitecoinNode.config(dataDir, 0).chainDir();
    assertTrue(Files.size(chainDir.resolve("blocks/blk00000.dat")) > 100 << 20);
    assertTrue(Files.exists(chainDir.resolve("blocks/blk00001.dat")), "a second block file");
    String id1 = publish(chainDir, "litecoin-regtest-full-20261203t000000z-a1", height, tip, false);

    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MirrorPublisher mirror =
        new MirrorPublisher(
            s3,
            MAIN,
            new S3MirrorBucket(s3, MIRROR, 5L << 20),
            "mirror",
            Files.createDirectories(root.resolve("work")),
            2,
            registry);

    TreeMirror.Result first = mirror.mirror(TARGET, id1).orElseThrow();
    assertEquals(first.files(), first.uploadedFiles(), "a new tree: every file uploaded");
    assertEquals(first.treeBytes(), first.uploadedBytes());
    assertTrue(mirror.mirror(TARGET, id1).isEmpty(), "the tree holds it already: nothing done");
    FileList list1 = readList(id1);
    assertEquals(localFiles(chainDir, true), asMap(list1), "file list = the snapshot's files");

    Path awsDir = Files.createDirectories(root.resolve("sync-aws"));
    Path rcloneDir = Files.createDirectories(root.resolve("sync-rclone"));
    long aws1 = syncWithAws(awsDir);
    long rclone1 = syncWithRclone(rcloneDir);
    assertEquals(asMap(list1), localFiles(awsDir, false), "aws s3 sync = file list 1");
    assertEquals(asMap(list1), localFiles(rcloneDir, false), "rclone sync = file list 1");

    // the node goes on: a few more big blocks land in the open block file only
    try (LitecoinNode node = LitecoinNode.start(dataDir, 0)) {
      mineBigBlocks(node, 3);
      node.mine(5);
      height = node.height();
      tip = node.bestBlockHash();
    }
    String id2 = publish(chainDir, "litecoin-regtest-full-20261203t060000z-b2", height, tip, false);
    // the service's path: the latest verified snapshot of index.json
    putIndex(id2, height, tip);
    TreeMirror.Result second = mirror.mirrorLatest(TARGET).orElseThrow();
    assertEquals(id2, second.snapshotId());
    FileList list2 = readList(id2);
    assertEquals(localFiles(chainDir, true), asMap(list2));

    // exactly the files whose content changed or that are new were uploaded again
    Map<String, String> before = asMap(list1);
    Map<String, String> after = asMap(list2);
    Set<String> changed =
        after.entrySet().stream()
            .filter(e -> !e.getValue().equals(before.get(e.getKey())))
            .map(Map.Entry::getKey)
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> gone = new TreeSet<>(before.keySet());
    gone.removeAll(after.keySet());
    long changedBytes =
        list2.files().stream()
            .filter(f -> changed.contains(f.path()))
            .mapToLong(FileList.Entry::size)
            .sum();
    assertTrue(after.containsKey("blocks/blk00000.dat"));
    assertFalse(changed.contains("blocks/blk00000.dat"), "the closed block file did not change");
    assertEquals(changed, new TreeSet<>(second.uploadedPaths()), "uploaded = changed files");
    assertEquals(changedBytes, second.uploadedBytes());
    assertEquals(gone.size(), second.deletedFiles());
    assertTrue(
        second.uploadedBytes() < first.uploadedBytes() / 4,
        "snapshot 2 uploaded " + second.uploadedBytes() + " of " + second.treeBytes() + " bytes");
    Set<String> treeKeys = new TreeSet<>(s3Keys(MIRROR, "mirror/litecoin/regtest/full/tree/"));
    assertEquals(
        after.keySet().stream()
            .map(p -> "mirror/litecoin/regtest/full/tree/" + p)
            .collect(Collectors.toCollection(TreeSet::new)),
        treeKeys,
        "the tree holds exactly snapshot 2's files");
    assertEquals(id2, readCurrent().snapshotId());
    assertEquals(
        second.uploadedBytes(),
        registry
            .get("chainsnap.publisher.mirror.snapshot.uploaded.bytes")
            .tag("mode", "full")
            .gauge()
            .value());
    assertEquals(
        (double) first.uploadedBytes() + second.uploadedBytes(),
        registry.get("chainsnap.publisher.mirror.uploaded.bytes").counter().count());

    long aws2 = syncWithAws(awsDir);
    long rclone2 = syncWithRclone(rcloneDir);
    assertEquals(after, localFiles(awsDir, false), "aws s3 sync = file list 2");
    assertEquals(after, localFiles(rcloneDir, false), "rclone sync = file list 2");
    LOG.infof(
        "MEASURED tree 1: %d files, %d bytes; tree 2: %d files, %d bytes; publisher uploaded"
            + " %d then %d bytes (%d changed files of %d); aws sync %d then %d bytes; rclone sync"
            + " %d then %d bytes (bytes the server sent through the relay)",
        first.files(),
        first.treeBytes(),
        second.files(),
        second.treeBytes(),
        first.uploadedBytes(),
        second.uploadedBytes(),
        changed.size(),
        second.files(),
        aws1,
        aws2,
        rclone1,
        rclone2);
    for (long[] sync : new long[][] {{aws1, aws2}, {rclone1, rclone2}}) {
      assertTrue(sync[0] >= first.treeBytes(), "a first sync transfers the whole tree");
      assertTrue(sync[1] >= changedBytes, "a second sync transfers the changed files");
      assertTrue(
          sync[1] < changedBytes + (sync[0] - first.treeBytes()) + (1 << 20),
          "a second sync transfers the changed files and little more: " + sync[1]);
      assertTrue(sync[1] < second.treeBytes() / 4, "much less than a full copy: " + sync[1]);
    }

    // a corrupt archive: refused by the restore engine, the tree and current.json untouched
    Set<String> treeBefore = new TreeSet<>(s3Keys(MIRROR, "mirror/litecoin/regtest/full/tree/"));
    String id3 = publish(chainDir, "litecoin-regtest-full-20261203t120000z-c3", height, tip, true);
    RestoreException refused =
        org.junit.jupiter.api.Assertions.assertThrows(
            RestoreException.class, () -> mirror.mirror(TARGET, id3));
    assertEquals(RestoreException.Reason.CORRUPT, refused.reason(), refused.getMessage());
    assertEquals(treeBefore, new TreeSet<>(s3Keys(MIRROR, "mirror/litecoin/regtest/full/tree/")));
    assertEquals(id2, readCurrent().snapshotId());
    assertEquals(1.0, registry.get("chainsnap.publisher.mirror.failures").counter().count());
    try (var left = Files.list(root.resolve("work"))) {
      assertTrue(left.findAny().isEmpty(), "scratch space deleted after the failure");
    }

    // retention: an expired snapshot's file list goes, the current one stays
    assertFalse(mirror.onExpired(TARGET, id2), "the tree still holds snapshot 2");
    assertTrue(mirror.onExpired(TARGET, id1));
    assertTrue(
        s3Keys(MIRROR, "mirror/litecoin/regtest/full/files/").stream()
            .noneMatch(k -> k.contains(id1)));
  }

  /**
   * Mines until the first 128 MiB block file is closed: 250 small blocks (mature coinbases), then
   * blocks of one ~0.95 MB transaction each.
   */
  static void growPastFirstBlockFile(LitecoinNode node) throws IOException {
    node.mine(250);
    Path blocks = node.dataDir().resolve("regtest/blocks");
    int big = 0;
    while (!Files.exists(blocks.resolve("blk00001.dat"))) {
      mineBigBlocks(node, 1);
      if (++big > 200) {
        throw new IllegalStateException("no second block file after 200 big blocks");
      }
    }
    mineBigBlocks(node, 2);
  }

  /**
   * Mines {@code count} blocks, each with one transaction spending the oldest unspent coinbase (an
   * {@code OP_TRUE} output, empty scriptSig) into a zero-value output of ~0.95 MB (an {@code
   * OP_RETURN} script of 520-byte pushes of pseudo-random bytes: no signature operations).
   */
  static void mineBigBlocks(LitecoinNode node, int count) {
    for (int i = 0; i < count; i++) {
      long height = node.height();
      long spend = spendableCoinbase(node, height);
      String blockHash = node.rpc().call("getblockhash", spend).asText();
      JsonNode block = node.rpc().call("getblock", blockHash);
      String coinbase = block.get("tx").get(0).asText();
      String tx = bigTransaction(coinbase, new Random(height));
      node.rpc().call("generateblock", LitecoinNode.MINING_DESCRIPTOR, List.of(tx));
    }
  }

  private static long nextSpend = 1;

  /** Coinbases 1, 2, 3... in turn (each spent once), mature at 100 confirmations. */
  static long spendableCoinbase(LitecoinNode node, long height) {
    long spend = nextSpend++;
    if (height - spend < 100) {
      throw new IllegalStateException("coinbase of block " + spend + " not mature");
    }
    return spend;
  }

  static String bigTransaction(String coinbaseTxid, Random random) {
    ByteArrayOutputStream tx = new ByteArrayOutputStream();
    le(tx, 1, 4); // version
    tx.write(1); // one input
    byte[] txid = HexFormat.of().parseHex(coinbaseTxid);
    for (int i = txid.length - 1; i >= 0; i--) {
      tx.write(txid[i]); // outpoint hash, internal byte order
    }
    le(tx, 0, 4); // vout 0: the OP_TRUE output
    tx.write(0); // empty scriptSig
    le(tx, 0xffffffffL, 4);
    tx.write(1); // one output
    le(tx, 0, 8); // value 0: the whole coinbase becomes the fee
    int pushes = 1800;
    int scriptLength = 1 + pushes * (3 + 520);
    tx.write(0xfe); // compact size, 4 bytes
    le(tx, scriptLength, 4);
    tx.write(0x6a); // OP_RETURN
    byte[] data = new byte[520];
    for (int i = 0; i < pushes; i++) {
      tx.write(0x4d); // OP_PUSHDATA2
      le(tx, 520, 2);
      random.nextBytes(data);
      tx.writeBytes(data);
    }
    le(tx, 0, 4); // lock time
    return HexFormat.of().formatHex(tx.toByteArray());
  }

  private static void le(ByteArrayOutputStream out, long value, int bytes) {
    for (int i = 0; i < bytes; i++) {
      out.write((int) (value >>> (8 * i)) & 0xff);
    }
  }

  /** Archives {@code chainDir} like the snapshotter and publishes it in the main bucket. */
  static String publish(Path chainDir, String id, long height, String tip, boolean corrupt)
      throws IOException {
    Path dir = Files.createDirectories(root.resolve("staging").resolve(id));
    ArchiveManifest manifest =
        ArchiveWriter.builder()
            .chunkSize(4 << 20)
            .filter(PathFilter.excluding(ChainFamilies.get("bitcoin-core").privateFiles()))
            .build()
            .write(chainDir, dir.resolve("snapshot.tar.zst"));
    SnapshotMetadata metadata =
        new SnapshotMetadata(
            1,
            id,
            TARGET.chain(),
            TARGET.network(),
            TARGET.mode(),
            "/LitecoinCore:0.21.2.1/",
            height,
            tip,
            Instant.now(),
            QuiesceStrategy.STOP,
            1000,
            manifest);
    if (corrupt) {
      try (var channel =
          java.nio.channels.FileChannel.open(
              dir.resolve("snapshot.tar.zst"),
              java.nio.file.StandardOpenOption.READ,
              java.nio.file.StandardOpenOption.WRITE)) {
        java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
        long at = manifest.compressedSize() / 2;
        channel.read(one, at);
        one.put(0, (byte) (one.get(0) ^ 1));
        one.rewind();
        channel.write(one, at);
      }
    }
    s3.putObject(
        b -> b.bucket(MAIN).key(CatalogKeys.archive(TARGET, id)),
        RequestBody.fromFile(dir.resolve("snapshot.tar.zst")));
    s3.putObject(
        b -> b.bucket(MAIN).key(CatalogKeys.manifest(TARGET, id)),
        RequestBody.fromBytes(metadata.toJson()));
    Files.delete(dir.resolve("snapshot.tar.zst"));
    return id;
  }

  static FileList.Current readCurrent() {
    return FileList.Current.read(
        s3.getObjectAsBytes(b -> b.bucket(MIRROR).key("mirror/litecoin/regtest/full/current.json"))
            .asByteArray());
  }

  /** An {@code index.json} in the main bucket whose latest full snapshot is {@code id}. */
  static void putIndex(String id, long height, String tip) {
    SnapshotIndex.Entry entry =
        new SnapshotIndex.Entry(
            id,
            Mode.FULL,
            height,
            tip,
            "/LitecoinCore:0.21.2.1/",
            Instant.now(),
            1,
            1,
            1,
            "00".repeat(32),
            Map.of(),
            new SnapshotIndex.Verification(VerificationStatus.VERIFIED, Instant.now(), "test"));
    SnapshotIndex index =
        new SnapshotIndex(
            SnapshotIndex.FORMAT_VERSION,
            TARGET.chain(),
            TARGET.network(),
            1,
            Instant.now(),
            Map.of("full", id),
            List.of(entry));
    s3.putObject(
        b -> b.bucket(MAIN).key(CatalogKeys.index(TARGET.chain(), TARGET.network())),
        RequestBody.fromBytes(index.toJson()));
  }

  static FileList readList(String id) {
    return FileList.read(
        s3.getObjectAsBytes(
                b -> b.bucket(MIRROR).key("mirror/litecoin/regtest/full/files/" + id + ".json"))
            .asByteArray());
  }

  static Map<String, String> asMap(FileList list) {
    Map<String, String> files = new TreeMap<>();
    list.files().forEach(f -> files.put(f.path(), f.size() + " " + f.sha256()));
    return files;
  }

  /** {@code path -> "size sha256"} of the regular files under {@code dir}. */
  static Map<String, String> localFiles(Path dir, boolean excludePrivate) {
    var include = PathFilter.excluding(ChainFamilies.get("bitcoin-core").privateFiles());
    Map<String, String> files = new TreeMap<>();
    TreeMirror.walk(dir)
        .forEach(
            (path, f) -> {
              if (!excludePrivate || include.test(path)) {
                files.put(path, f.size() + " " + f.sha256());
              }
            });
    return files;
  }

  static List<String> s3Keys(String bucket, String prefix) {
    return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
        .map(o -> o.key())
        .toList();
  }

  /** {@code aws s3 sync} of the tree, requester pays, through the relay; bytes the server sent. */
  static long syncWithAws(Path dir) throws Exception {
    Path config = root.resolve("aws-config");
    Files.writeString(config, "[default]\nregion = us-east-1\ns3 =\n  addressing_style = path\n");
    return run(
        List.of(
            AWS.toString(),
            "s3",
            "sync",
            "s3://" + MIRROR + "/mirror/litecoin/regtest/full/tree/",
            dir.toString(),
            "--delete",
            // without it, aws skips a same-sized object unless the local file is newer: a
            // preallocated block file (always 16 MiB) or LevelDB's CURRENT would never update
            "--exact-timestamps",
            "--request-payer",
            "requester",
            "--no-progress",
            "--endpoint-url",
            relay.endpoint()),
        Map.of(
            "AWS_ACCESS_KEY_ID",
            S3ProxyServer.ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY",
            S3ProxyServer.SECRET_KEY,
            "AWS_DEFAULT_REGION",
            S3ProxyServer.REGION,
            "AWS_CONFIG_FILE",
            config.toString(),
            "AWS_SHARED_CREDENTIALS_FILE",
            root.resolve("no-credentials").toString(),
            "AWS_EC2_METADATA_DISABLED",
            "true"));
  }

  /** {@code rclone sync} of the tree, requester pays, through the relay; bytes the server sent. */
  static long syncWithRclone(Path dir) throws Exception {
    Path config = root.resolve("rclone.conf");
    if (!Files.exists(config)) {
      Files.createFile(config);
    }
    return run(
        List.of(
            "rclone",
            "--config",
            config.toString(),
            "sync",
            "mirror:" + MIRROR + "/mirror/litecoin/regtest/full/tree",
            dir.toString(),
            "--s3-requester-pays",
            "--stats-one-line",
            "-v"),
        Map.of(
            "RCLONE_CONFIG_MIRROR_TYPE",
            "s3",
            "RCLONE_CONFIG_MIRROR_PROVIDER",
            "Other",
            "RCLONE_CONFIG_MIRROR_ENDPOINT",
            relay.endpoint(),
            "RCLONE_CONFIG_MIRROR_ACCESS_KEY_ID",
            S3ProxyServer.ACCESS_KEY,
            "RCLONE_CONFIG_MIRROR_SECRET_ACCESS_KEY",
            S3ProxyServer.SECRET_KEY,
            "RCLONE_CONFIG_MIRROR_REGION",
            S3ProxyServer.REGION,
            "RCLONE_CONFIG_MIRROR_FORCE_PATH_STYLE",
            "true"));
  }

  static long run(List<String> command, Map<String, String> env) throws Exception {
    long before = relay.toClient();
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    // only the settings given here (an inherited AWS_CA_BUNDLE makes rclone's S3 backend refuse
    // to start: "LoadCustomCABundleError ... unsupported transport")
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("RCLONE_"));
    pb.environment().putAll(env);
    pb.environment().put("HOME", Files.createDirectories(root.resolve("home")).toString());
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), command.get(0) + " finished");
    assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + output);
    // the relay counts while the last bytes are written; the client has read them all by now
    long sent = relay.toClient() - before;
    LOG.infof(
        "%s %s: %d bytes from the server; output tail:%n%s",
        command.get(0),
        command.get(command.indexOf("sync") + 1),
        sent,
        output.length() > 1500 ? output.substring(output.length() - 1500) : output);
    return sent;
  }
}
