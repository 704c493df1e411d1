package io.chainsnap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ConsoleTest {

  @Test
  void tarLineShowsPercentAndEtaOnceTheTotalIsKnown() {
    assertEquals(
        "archiving  25.0%  250 MB of 1.0 GB  125 MB/s  ETA 0:06",
        Console.tarLine("archiving", 250_000_000L, 1_000_000_000L, 2.0));
  }

  @Test
  void tarLineShowsBytesAndRateWhileTheSourceIsStillListed() {
    assertEquals(
        "archiving   ...   64.0 MB  64.0 MB/s  (listing)",
        Console.tarLine("archiving", 64_000_000L, -1, 1.0));
  }
}
