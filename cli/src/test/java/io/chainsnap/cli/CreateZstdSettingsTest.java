package io.chainsnap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.archive.ArchiveManifest;
import io.chainsnap.archive.SnapshotMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code create --level/--zstd}: what each combination writes into snapshot.json and info shows.
 */
class CreateZstdSettingsTest {

  @TempDir Path dir;

  @Test
  void theDefaultIsLevel3WithTheChainDataParameters() throws IOException {
    ArchiveManifest a = create("default");
    assertEquals(3, a.level());
    assertEquals("strategy=1,hashLog=18,minMatch=6", a.zstdParameters());
    String info =
        Cli.run("info", "--manifest", dir.resolve("default/snapshot.json").toString())
            .expect(0)
            .out();
    assertTrue(
        info.contains("zstd level 3 with strategy=1,hashLog=18,minMatch=6"), "info says:\n" + info);
  }

  @Test
  void aLevelAloneIsThePlainLevel() throws IOException {
    ArchiveManifest a = create("level", "--level", "1");
    assertEquals(1, a.level());
    assertEquals("", a.zstdParameters());
  }

  @Test
  void parametersApplyOnTopOfTheLevelInTheCanonicalForm() throws IOException {
    ArchiveManifest a = create("params", "--zstd", "hlog=17,strat=2");
    assertEquals(3, a.level());
    assertEquals("strategy=2,hashLog=17", a.zstdParameters());
    ArchiveManifest b = create("both", "--level", "5", "--zstd", "none");
    assertEquals(5, b.level());
    assertEquals("", b.zstdParameters());
  }

  @Test
  void badParametersAreAUsageErrorThatWritesNothing() throws IOException {
    Path source = source();
    Path out = dir.resolve("bad");
    Cli.Result r =
        Cli.run(
            "create",
            "--source",
            source.toString(),
            "--out",
            out.toString(),
            "--zstd",
            "windowLog=28");
    r.expect(ExitCodes.USAGE);
    assertTrue(r.err().contains("windowLog must be in [10, 27], got 28"), r.err());
    assertFalse(
        Files.exists(out.resolve("snapshot.tar.zst")), "no archive after a refused setting");
  }

  private ArchiveManifest create(String name, String... options) throws IOException {
    Path out = dir.resolve(name);
    List<String> args =
        new ArrayList<>(
            List.of(
                "create",
                "--source",
                source().toString(),
                "--out",
                out.toString(),
                "--chunk-size",
                "64KiB",
                "--quiet"));
    args.addAll(List.of(options));
    Cli.run(args.toArray(String[]::new)).expect(0);
    return SnapshotMetadata.read(Files.readAllBytes(out.resolve("snapshot.json"))).archive();
  }

  private Path source() throws IOException {
    Path source = dir.resolve("source");
    if (!Files.isDirectory(source)) {
      Files.createDirectories(source.resolve("blocks"));
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < 20_000; i++) {
        text.append("block ").append(i % 977).append(" tx ").append(i * 7919 % 10007).append('\n');
      }
      Files.writeString(source.resolve("blocks/blk00000.dat"), text);
      Files.writeString(source.resolve("CURRENT"), "MANIFEST-000001\n");
    }
    return source;
  }
}
