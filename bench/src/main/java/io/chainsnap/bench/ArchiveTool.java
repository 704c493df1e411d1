package io.chainsnap.bench;

import io.chainsnap.archive.ArchiveManifest;
import io.chainsnap.archive.ArchiveWriter;
import io.chainsnap.archive.SnapshotMetadata;
import io.chainsnap.archive.restore.FileRangeSource;
import io.chainsnap.archive.restore.HttpRangeSource;
import io.chainsnap.archive.restore.RangeSource;
import io.chainsnap.archive.restore.RestoreResult;
import io.chainsnap.archive.restore.Restorer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The two operations the archive benchmark times, through the archive module's Java API, with the
 * command line the {@code chainsnap} CLI plans for them (so that {@code bench/run.sh} can switch to
 * the CLI once it has these commands):
 *
 * <pre>
 * create  --source DIR --out DIR [--workers N] [--chunk-size BYTES] [--level L]
 * restore --manifest URL|FILE --dest DIR [--connections N] [--no-resume]
 * </pre>
 *
 * {@code create} writes {@code snapshot.tar.zst} and {@code snapshot.json} into {@code --out};
 * {@code restore} reads {@code snapshot.json} and restores the {@code snapshot.tar.zst} next to it
 * (HTTP range requests for a URL). Both print one summary line on standard output; a failure exits
 * with status 1.
 */
public final class ArchiveTool {
  private ArchiveTool() {}

  public static void main(String[] args) {
    try {
      if (args.length == 0) {
        throw new IllegalArgumentException("usage: ArchiveTool create|restore ...");
      }
      switch (args[0]) {
        case "create" -> create(args);
        case "restore" -> restore(args);
        default -> throw new IllegalArgumentException("unknown command " + args[0]);
      }
    } catch (RuntimeException | IOException | InterruptedException e) {
      System.err.println("error: " + e);
      System.exit(1);
    }
  }

  private static void create(String[] args) throws IOException {
    Path source = null;
    Path out = null;
    ArchiveWriter.Builder writer = ArchiveWriter.builder();
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--source" -> source = Path.of(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        case "--workers" -> writer.workers(Integer.parseInt(args[++i]));
        case "--chunk-size" -> writer.chunkSize((int) Sizes.parse(args[++i]));
        case "--level" -> writer.level(Integer.parseInt(args[++i]));
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (source == null || out == null) {
      throw new IllegalArgumentException("create needs --source DIR --out DIR");
    }
    Files.createDirectories(out);
    long started = System.nanoTime();
    ArchiveWriter w = writer.build();
    ArchiveManifest manifest = w.write(source, out.resolve("snapshot.tar.zst"));
    SnapshotMetadata metadata =
        new SnapshotMetadata(
            SnapshotMetadata.FORMAT_VERSION,
            "bench-" + manifest.sha256().substring(0, 12),
            "bench",
            "corpus",
            "full",
            "chainsnap-bench",
            0,
            "0".repeat(64),
            Instant.EPOCH,
            "stop",
            0,
            manifest);
    Files.write(out.resolve(SnapshotMetadata.FILE_NAME), metadata.toJson());
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        "created %s: %d files, tar %d -> %d bytes (ratio %.3f), %d chunks, %d workers, %.2f s%n",
        out.resolve("snapshot.tar.zst"),
        manifest.fileCount(),
        manifest.tarSize(),
        manifest.compressedSize(),
        manifest.tarSize() / (double) manifest.compressedSize(),
        manifest.chunks().size(),
        w.workers(),
        seconds);
  }

  private static void restore(String[] args) throws IOException, InterruptedException {
    String manifestArg = null;
    Path dest = null;
    Restorer.Builder restorer = Restorer.builder();
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--manifest" -> manifestArg = args[++i];
        case "--dest" -> dest = Path.of(args[++i]);
        case "--connections" -> restorer.connections(Integer.parseInt(args[++i]));
        case "--no-resume" -> restorer.resumable(false);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (manifestArg == null || dest == null) {
      throw new IllegalArgumentException("restore needs --manifest URL|FILE --dest DIR");
    }
    SnapshotMetadata metadata;
    RangeSource source;
    if (manifestArg.startsWith("http://") || manifestArg.startsWith("https://")) {
      URI uri = URI.create(manifestArg);
      HttpResponse<InputStream> response =
          HttpClient.newHttpClient()
              .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() != 200) {
        throw new IOException("GET " + uri + " answered " + response.statusCode());
      }
      try (InputStream in = response.body()) {
        metadata = SnapshotMetadata.read(in);
      }
      source = HttpRangeSource.of(uri.resolve("snapshot.tar.zst"));
    } else {
      Path file = Path.of(manifestArg);
      try (InputStream in = Files.newInputStream(file)) {
        metadata = SnapshotMetadata.read(in);
      }
      source = FileRangeSource.open(file.resolveSibling("snapshot.tar.zst"));
    }
    try (source) {
      RestoreResult result = restorer.build().restore(metadata, source, dest);
      System.out.printf(
          "restored %s into %s: %d files, %d bytes, %d fetched, %.2f s%n",
          result.snapshotId(),
          result.target(),
          result.files(),
          result.contentBytes(),
          result.fetchedBytes(),
          result.elapsed().toNanos() / 1e9);
    }
  }
}
