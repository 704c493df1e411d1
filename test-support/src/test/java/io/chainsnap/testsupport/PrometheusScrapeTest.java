package io.chainsnap.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class PrometheusScrapeTest {
  static final String TEXT =
      String.join(
          "\n",
          "# HELP a_total Things done",
          "# TYPE a_total counter",
          "a_total{kind=\"x\",target=\"t1\"} 3.0",
          "a_total{kind=\"y\",target=\"t1\"} 4.0",
          "# HELP a_total_extra ",
          "# TYPE a_total_extra gauge",
          "a_total_extra 9.0",
          "# TYPE b_seconds gauge",
          "b_seconds{target=\"t1\"} NaN",
          "# TYPE other gauge",
          "other 1.0",
          "");

  @Test
  void findsFamiliesWithoutADescription() {
    PrometheusScrape scrape = PrometheusScrape.of(TEXT);
    assertEquals(List.of("a_total", "a_total_extra"), List.copyOf(scrape.families("a_")));
    assertEquals("Things done", scrape.help("a_total"));
    assertEquals("", scrape.help("b_seconds"));
    assertEquals(List.of("a_total_extra", "b_seconds", "other"), scrape.withoutHelp(""));
  }

  @Test
  void readsSamplesByNameAndLabels() {
    PrometheusScrape scrape = PrometheusScrape.of(TEXT);
    assertEquals(OptionalDouble.of(4.0), scrape.value("a_total", Map.of("kind", "y")));
    assertEquals(OptionalDouble.of(9.0), scrape.value("a_total_extra", Map.of()));
    assertEquals(OptionalDouble.empty(), scrape.value("a_total", Map.of("kind", "z")));
    assertTrue(Double.isNaN(scrape.value("b_seconds", Map.of("target", "t1")).getAsDouble()));
  }
}
