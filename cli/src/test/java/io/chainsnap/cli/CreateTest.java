package io.chainsnap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.archive.ArchiveReader;
import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.chain.ChainFamilies;
import io.chainsnap.domain.Mode;
import io.chainsnap.domain.QuiesceStrategy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code chainsnap create}: excludes, metadata options, ids and sizes (in this JVM). */
class CreateTest {

  private static final List<String> CHAIN_DATA =
      List.of(
          "blocks/blk00000.dat",
          "blocks/index/000001.ldb",
          "blocks/index/CURRENT",
          "chainstate/000002.ldb",
          "indexes/txindex/000003.ldb");

  private static final List<String> PRIVATE =
      List.of(
          ".cookie",
          ".lock",
          "banlist.json",
          "blocks/index/LOCK",
          "chainstate/LOCK",
          "debug.log",
          "litecoind.pid",
          "onion_v3_private_key",
          "peers.dat",
          "regtest/debug.log",
          "settings.json",
          "wallet.dat",
          "wallets/w1/wallet.dat");

  @TempDir Path dir;

  @Test
  void thePrivateFilesAreExcludedByDefault() throws IOException {
    Cli.Result r = create("default").expect(0);
    assertEquals(CHAIN_DATA, archived("default"));
    assertTrue(r.err().contains("excluding wallets/** wallets **/wallet.dat"), r.err());
  }

  @Test
  void excludeAddsToTheDefaults() throws IOException {
    create("more", "--exclude", "indexes/", "--exclude", "blocks/index/*").expect(0);
    assertEquals(List.of("blocks/blk00000.dat", "chainstate/000002.ldb"), archived("more"));
  }

  @Test
  void noDefaultExcludesArchivesEverything() throws IOException {
    create("all", "--no-default-excludes").expect(0);
    List<String> everything = new ArrayList<>(CHAIN_DATA);
    everything.addAll(PRIVATE);
    everything.sort(null);
    assertEquals(everything, archived("all"));
    create("some", "--no-default-excludes", "--exclude", "*.log").expect(0);
    List<String> some = archived("some");
    assertFalse(some.contains("debug.log") || some.contains("regtest/debug.log"), "" + some);
    assertTrue(some.contains("wallets/w1/wallet.dat"), "" + some);
  }

  @Test
  void theFamilyChoosesTheDefaultExcludes() throws IOException {
    create("xmr", "--family", "monero").expect(0);
    List<String> archived = archived("xmr");
    // monero's private files are its own (logs, lock.mdb, p2pstate.bin): a wallet.dat is data to it
    assertTrue(archived.contains("wallet.dat"), "" + archived);
    assertFalse(archived.contains("debug.log"), "" + archived);
  }

  @Test
  void aFamilyWithoutKnownPrivateFilesNeedsExplicitExcludes() throws IOException {
    Cli.Result r = create("eth", "--family", "ethereum").expect(ExitCodes.USAGE);
    assertTrue(r.err().contains("does not know which files of a ethereum node"), r.err());
    create("eth2", "--family", "ethereum", "--exclude", "nodekey").expect(0);
    Cli.Result unknown = create("x", "--family", "dogecoin-magic").expect(ExitCodes.USAGE);
    assertTrue(unknown.err().contains("unknown chain family 'dogecoin-magic'"), unknown.err());
  }

  @Test
  void helpShowsTheDefaultExcludes() {
    String help = Cli.run("create", "--help").expect(0).out();
    assertTrue(help.contains("--no-default-excludes"), help);
    String listed = help.substring(help.indexOf("Default excludes"), help.indexOf("Examples:"));
    assertEquals(
        ChainFamilies.get("bitcoin-core").privateFiles(),
        List.of(listed.substring(listed.indexOf("):") + 2).strip().split("\\s+")),
        "the help lists every default exclude, none cut:\n" + help);
    assertTrue(help.contains("archive, full, pruned"), help);
    assertTrue(help.contains("stop, pause-checkpoint"), help);
  }

  @Test
  void aMalformedExcludeIsAUsageError() throws IOException {
    Cli.Result r = create("bad", "--exclude", "[abc").expect(ExitCodes.USAGE);
    assertTrue(r.err().contains("invalid exclude pattern '[abc'"), r.err());
  }

  @Test
  void modeAndQuiesceAreTypedByTheirWireNames() throws IOException {
    create("typed", "--mode", "pruned", "--quiesce", "pause-checkpoint").expect(0);
    SnapshotMetadata m = metadata("typed");
    assertEquals(Mode.PRUNED, m.mode());
    assertEquals(QuiesceStrategy.PAUSE_CHECKPOINT, m.quiesce());
    assertEquals(QuiesceStrategy.STOP, metadata(create("plain"), "plain").quiesce());

    Cli.Result mode = create("bad-mode", "--mode", "light").expect(ExitCodes.USAGE);
    assertTrue(
        mode.err().contains("'light' is not a known mode (known: archive, full, pruned)"),
        mode.err());
    Cli.Result quiesce = create("bad-quiesce", "--quiesce", "PAUSE_CHECKPOINT");
    quiesce.expect(ExitCodes.USAGE);
    assertTrue(
        quiesce.err().contains("(known: stop, pause-checkpoint)"), "wire names only: " + quiesce);
    assertFalse(Files.exists(dir.resolve("bad-mode")), "nothing written");
  }

  @Test
  void madeIdsAreSnapshotIds() throws IOException {
    create(
            "named",
            "--chain",
            "litecoin",
            "--network",
            "regtest",
            "--mode",
            "pruned",
            "--height",
            "503")
        .expect(0);
    String id = metadata("named").snapshotId();
    assertTrue(id.matches("litecoin-regtest-pruned-\\d{8}t\\d{9}z-503"), id);
    create("unnamed").expect(0);
    String unnamed = metadata("unnamed").snapshotId();
    assertTrue(unnamed.matches("unknown-unknown-full-\\d{8}t\\d{9}z-0"), unnamed);
  }

  @Test
  void givenIdsAreChecked() throws IOException {
    create("given", "--id", "My.Snapshot_1").expect(0);
    assertEquals("My.Snapshot_1", metadata("given").snapshotId());
    for (String bad : List.of("../x", "-x", "a b", "")) {
      Cli.Result r = create("bad-id", "--id", bad).expect(ExitCodes.USAGE);
      assertTrue(r.err().contains("--id: invalid snapshot id '" + bad + "'"), r.err());
    }
    assertFalse(Files.exists(dir.resolve("bad-id")), "nothing written");
  }

  @Test
  void chunkSizesAreByteSizesInTheFormatsBounds() throws IOException {
    for (String good : List.of("4096", "4k", "64KiB", "1mb", "1M")) {
      create("size-" + good, "--chunk-size", good).expect(0);
    }
    assertEquals(1 << 20, metadata("size-1mb").archive().chunkSize());
    assertEquals(64 << 10, metadata("size-64KiB").archive().chunkSize());
    Cli.Result small = create("small", "--chunk-size", "1KiB").expect(ExitCodes.USAGE);
    assertTrue(
        small.err().contains("--chunk-size: must be between 4KiB and 256MiB, got 1KiB"),
        small.err());
    create("large", "--chunk-size", "2GiB").expect(ExitCodes.USAGE);
    // above what readers accept (their memory bound): the writer refuses it too
    Cli.Result big = create("big", "--chunk-size", "512MiB").expect(ExitCodes.USAGE);
    assertTrue(big.err().contains("between 4KiB and 256MiB"), big.err());
    Cli.Result lots = create("lots", "--chunk-size", "lots").expect(ExitCodes.USAGE);
    assertTrue(lots.err().contains("'lots' is not a size"), lots.err());
  }

  private Path source() throws IOException {
    Path source = dir.resolve("source");
    if (!Files.isDirectory(source)) {
      List<String> all = new ArrayList<>(CHAIN_DATA);
      all.addAll(PRIVATE);
      for (String file : all) {
        Path p = source.resolve(file);
        Files.createDirectories(p.getParent());
        Files.writeString(p, file + "\n");
      }
    }
    return source;
  }

  private Cli.Result create(String name, String... options) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "create", "--source", source().toString(), "--out", dir.resolve(name).toString()));
    if (!List.of(options).contains("--chunk-size")) {
      args.addAll(List.of("--chunk-size", "64KiB"));
    }
    args.addAll(List.of(options));
    return Cli.run(args.toArray(String[]::new));
  }

  private SnapshotMetadata metadata(String name) throws IOException {
    return SnapshotMetadata.read(Files.readAllBytes(dir.resolve(name).resolve("snapshot.json")));
  }

  private SnapshotMetadata metadata(Cli.Result result, String name) throws IOException {
    result.expect(0);
    return metadata(name);
  }

  /** The files the archive of {@code name} holds, sorted. */
  private List<String> archived(String name) throws IOException {
    Path out = Files.createDirectories(dir.resolve(name + "-extracted"));
    ArchiveReader.create()
        .extract(dir.resolve(name).resolve("snapshot.tar.zst"), metadata(name).archive(), out);
    try (Stream<Path> walk = Files.walk(out)) {
      return walk.filter(Files::isRegularFile)
          .map(p -> out.relativize(p).toString().replace('\\', '/'))
          .sorted()
          .toList();
    }
  }
}
