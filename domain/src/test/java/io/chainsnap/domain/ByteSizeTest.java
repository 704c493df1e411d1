package io.chainsnap.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ByteSizeTest {
  @Test
  void readsBytesAndBinarySuffixesInAnyCase() {
    assertEquals(4096, ByteSize.of("4096").bytes());
    assertEquals(4096, ByteSize.of("4096B").bytes());
    assertEquals(512L << 10, ByteSize.of("512k").bytes());
    assertEquals(64L << 20, ByteSize.of("64M").bytes());
    assertEquals(64L << 20, ByteSize.of("64MiB").bytes());
    assertEquals(64L << 20, ByteSize.of("64mb").bytes());
    assertEquals(1L << 30, ByteSize.of(" 1G ").bytes());
    assertEquals(2L << 40, ByteSize.of("2T").bytes());
    assertEquals(0, ByteSize.of("0").bytes());
  }

  @Test
  void refusesWhatIsNotASize() {
    for (String bad : new String[] {"", "M", "-1", "1.5G", "64X", "64 M B", "ten", "1P"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> ByteSize.of(bad), bad);
      assertTrue(e.getMessage().contains("not a size"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> ByteSize.of(null));
  }

  @Test
  void refusesSizesThatOverflow() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ByteSize.of("9999999999T"));
    assertTrue(e.getMessage().contains("too large"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ByteSize.of("99999999999999999999999"));
  }

  @Test
  void boundsNameBothEnds() {
    assertEquals(64 << 20, ByteSize.of("64M").toIntBetween(4096, 1 << 30));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ByteSize.of("2G").toIntBetween(4096, 1 << 30));
    assertEquals("must be between 4KiB and 1GiB, got 2GiB", e.getMessage());
  }

  @Test
  void printsTheShortestExactForm() {
    assertEquals("64MiB", new ByteSize(64L << 20).toString());
    assertEquals("1000B", new ByteSize(1000).toString());
    assertEquals("1536KiB", new ByteSize(1536L << 10).toString());
    assertEquals("0B", new ByteSize(0).toString());
  }
}
