package io.chainsnap.snapshotter.quiesce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one catch ladder of a quiesced node: the node is resumed whatever the work did. */
class ResumptionTest {
  private final List<String> calls = new ArrayList<>();

  private Runnable resume() {
    return () -> calls.add("resume");
  }

  @Test
  void resumesAfterSuccessAndReturnsTheResult() {
    String result = Resumption.runThenResume(() -> "manifest", resume());
    assertEquals("manifest", result);
    assertEquals(List.of("resume"), calls);
  }

  @Test
  void resumesAfterAFailureAndRethrowsIt() {
    IllegalStateException failure = new IllegalStateException("archive failed");
    IllegalStateException thrown =
        assertThrows(
            IllegalStateException.class,
            () ->
                Resumption.runThenResume(
                    () -> {
                      throw failure;
                    },
                    resume()));
    assertSame(failure, thrown);
    assertEquals(List.of("resume"), calls);
  }

  @Test
  void anErrorPropagatesAsItIsAfterTheResume() {
    OutOfMemoryError oom = new OutOfMemoryError("direct buffer memory");
    OutOfMemoryError thrown =
        assertThrows(
            OutOfMemoryError.class,
            () ->
                Resumption.runThenResume(
                    () -> {
                      throw oom;
                    },
                    resume()));
    assertSame(oom, thrown);
    assertEquals(List.of("resume"), calls);
  }

  @Test
  void anIoFailureBecomesUncheckedWithItsCause() {
    IOException io = new IOException("disk full");
    UncheckedIOException thrown =
        assertThrows(
            UncheckedIOException.class,
            () ->
                Resumption.runThenResume(
                    () -> {
                      throw io;
                    },
                    resume()));
    assertSame(io, thrown.getCause());
    assertEquals(List.of("resume"), calls);
  }

  @Test
  void aFailedResumeIsAddedToTheWorksFailure() {
    IllegalStateException work = new IllegalStateException("archive failed");
    IllegalStateException resume = new IllegalStateException("node did not start");
    IllegalStateException thrown =
        assertThrows(
            IllegalStateException.class,
            () ->
                Resumption.runThenResume(
                    () -> {
                      throw work;
                    },
                    () -> {
                      throw resume;
                    }));
    assertSame(work, thrown);
    assertEquals(List.of(resume), List.of(thrown.getSuppressed()));
  }

  @Test
  void aFailedResumeAfterSuccessIsTheFailure() {
    IllegalStateException resume = new IllegalStateException("node did not start");
    IllegalStateException thrown =
        assertThrows(
            IllegalStateException.class,
            () ->
                Resumption.runThenResume(
                    () -> "manifest",
                    () -> {
                      throw resume;
                    }));
    assertSame(resume, thrown);
    assertTrue(thrown.getSuppressed().length == 0);
  }
}
