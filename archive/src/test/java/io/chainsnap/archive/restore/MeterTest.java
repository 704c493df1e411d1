package io.chainsnap.archive.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MeterTest {

  @Test
  void noTimerReportArrivesAfterTheFinalOne() throws Exception {
    List<RestoreProgress> seen = new CopyOnWriteArrayList<>();
    CountDownLatch timerReportInListener = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch heldDelivered = new CountDownLatch(1);
    RestoreListener listener =
        new RestoreListener() {
          @Override
          public void progress(RestoreProgress p) {
            if (timerReportInListener.getCount() > 0) {
              // the first timer report, taken before any chunk is done, is held here
              timerReportInListener.countDown();
              awaitQuietly(release);
              seen.add(p);
              heldDelivered.countDown();
            } else {
              seen.add(p);
            }
          }
        };
    Meter meter = new Meter(1000, 0, 4, 0, listener, Duration.ofMillis(50));
    assertTrue(timerReportInListener.await(10, TimeUnit.SECONDS));
    for (int i = 0; i < 4; i++) {
      meter.fetched(250);
      meter.chunkDone();
    }
    Thread closer = new Thread(meter::close);
    closer.start();
    Thread.sleep(200); // close() is now waiting for the held report, or about to
    release.countDown();
    closer.join(10_000);
    assertTrue(heldDelivered.await(10, TimeUnit.SECONDS));
    RestoreProgress last = seen.get(seen.size() - 1);
    assertEquals(4, last.chunksDone(), "the final report comes last: " + seen);
    assertEquals(1000, last.doneBytes());
    int size = seen.size();
    Thread.sleep(200);
    assertEquals(size, seen.size(), "nothing is reported after close");
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      // shutdownNow interrupts the timer: finish delivering this report anyway
      try {
        latch.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException again) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
