package io.chainsnap.archive.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** {@link Restorer.Builder} and {@link ArchiveDownloader.Builder} refuse the same values alike. */
class BuilderValidationTest {

  /** One setting, as each builder takes it. */
  private record Setting(
      String name, Consumer<Restorer.Builder> restorer, Consumer<ArchiveDownloader.Builder> dl) {}

  private static final List<Setting> BAD =
      List.of(
          new Setting("corruptRetries -1", b -> b.corruptRetries(-1), b -> b.corruptRetries(-1)),
          new Setting(
              "corruptRetries MIN_VALUE",
              b -> b.corruptRetries(Integer.MIN_VALUE),
              b -> b.corruptRetries(Integer.MIN_VALUE)),
          new Setting("connections 0", b -> b.connections(0), b -> b.connections(0)),
          new Setting("connections -3", b -> b.connections(-3), b -> b.connections(-3)),
          new Setting("connections 65", b -> b.connections(65), b -> b.connections(65)),
          new Setting(
              "progressInterval -1 s",
              b -> b.progressInterval(Duration.ofSeconds(-1)),
              b -> b.progressInterval(Duration.ofSeconds(-1))),
          new Setting(
              "progressInterval null",
              b -> b.progressInterval(null),
              b -> b.progressInterval(null)),
          new Setting("listener null", b -> b.listener(null), b -> b.listener(null)));

  @Test
  void bothBuildersRefuseTheSameBadValuesWithTheSameMessage() {
    for (Setting s : BAD) {
      RuntimeException r =
          assertThrows(
              RuntimeException.class, () -> s.restorer().accept(Restorer.builder()), s.name());
      RuntimeException d =
          assertThrows(
              RuntimeException.class, () -> s.dl().accept(ArchiveDownloader.builder()), s.name());
      assertEquals(r.getClass(), d.getClass(), s.name());
      assertEquals(r.getMessage(), d.getMessage(), s.name());
    }
  }

  @Test
  void aNegativeRetryCountIsRefusedNotClamped() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ArchiveDownloader.builder().corruptRetries(-1));
    assertEquals("corruptRetries must be >= 0, got -1", e.getMessage());
  }

  @Test
  void bothBuildersAcceptTheBounds() {
    assertNotNull(
        Restorer.builder()
            .corruptRetries(0)
            .connections(1)
            .connections(64)
            .progressInterval(Duration.ZERO)
            .build());
    assertNotNull(
        ArchiveDownloader.builder()
            .corruptRetries(0)
            .connections(1)
            .connections(64)
            .progressInterval(Duration.ZERO)
            .build());
  }
}
