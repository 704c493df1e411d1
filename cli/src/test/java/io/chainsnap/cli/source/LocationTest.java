package io.chainsnap.cli.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.chainsnap.cli.CliException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LocationTest {

  @Test
  void kinds() {
    assertEquals(
        Location.Kind.HTTP, Location.parse("https://cdn.example.org/a/index.json", null).kind());
    Location s3 = Location.parse("s3://bucket/ltc/main/x/snapshot.json", null);
    assertEquals(Location.Kind.S3, s3.kind());
    assertEquals("bucket", s3.bucket());
    assertEquals("ltc/main/x/snapshot.json", s3.key());
    assertEquals(Location.Kind.FILE, Location.parse("./x/snapshot.json", null).kind());
    assertEquals(Path.of("/tmp/a"), Location.parse("file:///tmp/a", null).path());
    assertEquals(
        "https://gw.example/ipfs/bafyabc",
        Location.parse("ipfs://bafyabc", "https://gw.example/").toString());
    assertThrows(CliException.class, () -> Location.parse("ipfs://bafyabc", null));
    assertThrows(CliException.class, () -> Location.parse("s3://bucket-only", null));
    assertThrows(CliException.class, () -> Location.parse("ftp://x/y", null));
  }

  @Test
  void siblingsAndRelativeReferences() {
    Location http = Location.parse("https://cdn.example.org/ltc/main/x/snapshot.json", null);
    assertEquals(
        "https://cdn.example.org/ltc/main/x/snapshot.tar.zst",
        http.sibling("snapshot.tar.zst").toString());
    Location index = Location.parse("https://cdn.example.org/ltc/main/index.json", null);
    assertEquals(
        "https://cdn.example.org/ltc/main/full/x/snapshot.json",
        index.resolve("full/x/snapshot.json", null).toString());
    assertEquals(
        "s3://b/k/snapshot.json", index.resolve("s3://b/k/snapshot.json", null).toString());
    Location s3 = Location.parse("s3://b/ltc/main/index.json", null);
    assertEquals("s3://b/ltc/main/full/x/a", s3.resolve("full/x/a", null).toString());
  }
}
