package io.chainsnap.publisher.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.domain.VerificationStatus;
import io.chainsnap.publisher.service.RetentionPolicy.Candidate;
import io.chainsnap.publisher.service.RetentionPolicy.Decision;
import io.chainsnap.publisher.service.RetentionPolicy.Rules;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The retention decisions at a fixed clock. */
class RetentionPolicyTest {
  static final Instant NOW = Instant.parse("2027-01-10T12:00:00Z");
  static final Duration WINDOW = Duration.ofHours(24);

  static Candidate verified(String takenAt) {
    return new Candidate("v-" + takenAt, Instant.parse(takenAt), VerificationStatus.VERIFIED);
  }

  static Candidate rejected(String takenAt) {
    return new Candidate("r-" + takenAt, Instant.parse(takenAt), VerificationStatus.REJECTED);
  }

  static Candidate pending(String takenAt) {
    return new Candidate("p-" + takenAt, Instant.parse(takenAt), VerificationStatus.PENDING);
  }

  static Rules rules(int last, int daily, int weekly, int monthly, Duration maxAge) {
    return new Rules(last, daily, weekly, monthly, Optional.ofNullable(maxAge));
  }

  static List<String> kept(List<Decision> decisions) {
    return decisions.stream().filter(Decision::keep).map(d -> d.snapshot().snapshotId()).toList();
  }

  static List<String> expired(List<Decision> decisions) {
    return decisions.stream().filter(d -> !d.keep()).map(d -> d.snapshot().snapshotId()).toList();
  }

  static Decision of(List<Decision> decisions, String id) {
    return decisions.stream()
        .filter(d -> d.snapshot().snapshotId().equals(id))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void keepLastKeepsTheNewestVerifiedAndCountsNoRejectedOne() {
    List<Candidate> snapshots =
        List.of(
            verified("2027-01-01T00:00:00Z"),
            verified("2027-01-02T00:00:00Z"),
            verified("2027-01-03T00:00:00Z"),
            rejected("2027-01-04T00:00:00Z"),
            verified("2027-01-05T00:00:00Z"));
    List<Decision> plan = RetentionPolicy.plan(rules(2, 0, 0, 0, null), snapshots, NOW, WINDOW);
    assertEquals(
        List.of("v-2027-01-05T00:00:00Z", "v-2027-01-03T00:00:00Z"),
        kept(plan),
        "the two newest verified, newest first");
    assertEquals(
        List.of("r-2027-01-04T00:00:00Z", "v-2027-01-02T00:00:00Z", "v-2027-01-01T00:00:00Z"),
        expired(plan));
    assertEquals(
        List.of("latest verified", "keep-last 2"), of(plan, "v-2027-01-05T00:00:00Z").reasons());
    assertTrue(
        of(plan, "v-2027-01-02T00:00:00Z").reasons().get(0).contains("kept by no rule"),
        of(plan, "v-2027-01-02T00:00:00Z").reasons().toString());
    assertTrue(
        of(plan, "r-2027-01-04T00:00:00Z")
            .reasons()
            .get(0)
            .startsWith("rejected, older than the download window"));
  }

  @Test
  void keepDailyKeepsTheNewestOfEachOfTheLastDaysThatHaveOne() {
    List<Candidate> snapshots =
        List.of(
            verified("2027-01-08T23:00:00Z"),
            verified("2027-01-08T06:00:00Z"),
            verified("2027-01-07T12:00:00Z"),
            // no snapshot on the 6th: the days counted are those that have one (as restic)
            verified("2027-01-05T18:00:00Z"),
            verified("2027-01-05T01:00:00Z"),
            verified("2027-01-04T12:00:00Z"));
    List<Decision> plan = RetentionPolicy.plan(rules(0, 3, 0, 0, null), snapshots, NOW, WINDOW);
    assertEquals(
        List.of("v-2027-01-08T23:00:00Z", "v-2027-01-07T12:00:00Z", "v-2027-01-05T18:00:00Z"),
        kept(plan));
    assertEquals(List.of("daily 2027-01-07"), of(plan, "v-2027-01-07T12:00:00Z").reasons());
    assertEquals(
        List.of("v-2027-01-08T06:00:00Z", "v-2027-01-05T01:00:00Z", "v-2027-01-04T12:00:00Z"),
        expired(plan));
  }

  @Test
  void keepWeeklyUsesIsoWeeksAcrossTheYearBoundary() {
    // 2026 has 53 ISO weeks: Thursday 2026-12-31 and Sunday 2027-01-03 are both in 2026-W53
    List<Candidate> snapshots =
        List.of(
            verified("2027-01-03T10:00:00Z"),
            verified("2026-12-31T10:00:00Z"),
            verified("2026-12-27T10:00:00Z"),
            verified("2026-12-20T10:00:00Z"));
    List<Decision> plan = RetentionPolicy.plan(rules(0, 0, 2, 0, null), snapshots, NOW, WINDOW);
    assertEquals(List.of("v-2027-01-03T10:00:00Z", "v-2026-12-27T10:00:00Z"), kept(plan));
    assertTrue(of(plan, "v-2027-01-03T10:00:00Z").reasons().contains("weekly 2026-W53"));
    assertEquals(List.of("weekly 2026-W52"), of(plan, "v-2026-12-27T10:00:00Z").reasons());
    assertEquals(List.of("v-2026-12-31T10:00:00Z", "v-2026-12-20T10:00:00Z"), expired(plan));
  }

  @Test
  void keepMonthlyAndRulesAddUp() {
    List<Candidate> snapshots =
        List.of(
            verified("2027-01-05T00:00:00Z"),
            verified("2027-01-02T00:00:00Z"),
            verified("2026-12-30T00:00:00Z"),
            verified("2026-12-01T00:00:00Z"),
            verified("2026-11-15T00:00:00Z"),
            verified("2026-10-15T00:00:00Z"));
    List<Decision> plan = RetentionPolicy.plan(rules(1, 0, 0, 3, null), snapshots, NOW, WINDOW);
    // keep-last 1 and monthly 3 (2027-01, 2026-12, 2026-11): a snapshot is kept if any rule keeps
    // it
    assertEquals(
        List.of("v-2027-01-05T00:00:00Z", "v-2026-12-30T00:00:00Z", "v-2026-11-15T00:00:00Z"),
        kept(plan));
    assertEquals(
        List.of("latest verified", "keep-last 1", "monthly 2027-01"),
        of(plan, "v-2027-01-05T00:00:00Z").reasons());
    assertEquals(
        List.of("v-2027-01-02T00:00:00Z", "v-2026-12-01T00:00:00Z", "v-2026-10-15T00:00:00Z"),
        expired(plan));
  }

  @Test
  void maxAgeKeepsVerifiedAndRejectedWithinItAndExpiresRejectedAfterIt() {
    List<Candidate> snapshots =
        List.of(
            verified("2027-01-09T00:00:00Z"),
            rejected("2027-01-07T00:00:00Z"),
            verified("2027-01-06T00:00:00Z"),
            rejected("2027-01-02T00:00:00Z"),
            verified("2027-01-01T00:00:00Z"));
    List<Decision> plan =
        RetentionPolicy.plan(rules(0, 0, 0, 0, Duration.ofDays(7)), snapshots, NOW, WINDOW);
    assertEquals(
        List.of("v-2027-01-09T00:00:00Z", "r-2027-01-07T00:00:00Z", "v-2027-01-06T00:00:00Z"),
        kept(plan));
    assertEquals(List.of("within max-age PT168H"), of(plan, "r-2027-01-07T00:00:00Z").reasons());
    assertEquals(List.of("r-2027-01-02T00:00:00Z", "v-2027-01-01T00:00:00Z"), expired(plan));
    assertEquals(
        List.of("rejected, older than max-age PT168H"),
        of(plan, "r-2027-01-02T00:00:00Z").reasons());
  }

  @Test
  void theLatestVerifiedIsNeverExpiredNorAreNewerRejectedOrPendingOnesLatest() {
    // every snapshot is older than max-age: only the newest *verified* one is kept by that
    List<Candidate> snapshots =
        List.of(
            rejected("2026-12-20T00:00:00Z"),
            verified("2026-12-10T00:00:00Z"),
            verified("2026-12-01T00:00:00Z"));
    List<Decision> plan =
        RetentionPolicy.plan(rules(0, 0, 0, 0, Duration.ofDays(1)), snapshots, NOW, WINDOW);
    assertEquals(List.of("v-2026-12-10T00:00:00Z"), kept(plan));
    assertEquals(List.of("latest verified"), of(plan, "v-2026-12-10T00:00:00Z").reasons());
    assertEquals(List.of("r-2026-12-20T00:00:00Z", "v-2026-12-01T00:00:00Z"), expired(plan));
  }

  @Test
  void nothingYoungerThanTheDownloadWindowExpires() {
    List<Candidate> snapshots =
        List.of(
            verified("2027-01-10T11:00:00Z"),
            rejected("2027-01-10T10:00:00Z"), // rejected an hour ago: still downloadable links
            verified("2027-01-09T13:00:00Z"), // 23 h old
            verified("2027-01-09T11:59:59Z"), // just over 24 h
            verified("2027-01-11T00:00:00Z")); // taken "later" than now: a clock skew, kept
    List<Decision> plan = RetentionPolicy.plan(rules(1, 0, 0, 0, null), snapshots, NOW, WINDOW);
    assertEquals(List.of("v-2027-01-09T11:59:59Z"), expired(plan));
    assertTrue(
        of(plan, "v-2027-01-09T13:00:00Z")
            .reasons()
            .contains("younger than the download window PT24H"));
    assertTrue(
        of(plan, "r-2027-01-10T10:00:00Z")
            .reasons()
            .contains("younger than the download window PT24H"));
    // a larger window (signed URLs valid for 48 h) keeps that one too
    assertEquals(
        List.of(),
        expired(
            RetentionPolicy.plan(rules(1, 0, 0, 0, null), snapshots, NOW, WINDOW.multipliedBy(2))));
  }

  @Test
  void snapshotsInProgressAreKept() {
    List<Candidate> snapshots =
        List.of(
            pending("2026-06-01T00:00:00Z"),
            verified("2026-05-01T00:00:00Z"),
            verified("2026-04-01T00:00:00Z"));
    List<Decision> plan = RetentionPolicy.plan(rules(1, 0, 0, 0, null), snapshots, NOW, WINDOW);
    assertEquals(List.of("p-2026-06-01T00:00:00Z", "v-2026-05-01T00:00:00Z"), kept(plan));
    assertEquals(
        List.of("not verified or rejected yet"), of(plan, "p-2026-06-01T00:00:00Z").reasons());
    assertEquals(List.of("v-2026-04-01T00:00:00Z"), expired(plan));
  }

  @Test
  void theOrderOfTheInputDoesNotMatter() {
    List<Candidate> snapshots = new ArrayList<>();
    for (int day = 1; day <= 9; day++) {
      snapshots.add(verified("2027-01-0" + day + "T00:00:00Z"));
    }
    List<Decision> sorted = RetentionPolicy.plan(rules(3, 0, 0, 0, null), snapshots, NOW, WINDOW);
    java.util.Collections.reverse(snapshots);
    assertEquals(sorted, RetentionPolicy.plan(rules(3, 0, 0, 0, null), snapshots, NOW, WINDOW));
    assertEquals(6, expired(sorted).size());
  }

  @Test
  void policiesWithoutRulesOrWithNegativeCountsAreRefused() {
    IllegalArgumentException none =
        assertThrows(IllegalArgumentException.class, () -> rules(0, 0, 0, 0, null));
    assertTrue(none.getMessage().contains("no rule set"), none.getMessage());
    assertThrows(IllegalArgumentException.class, () -> rules(-1, 3, 0, 0, null));
    assertThrows(IllegalArgumentException.class, () -> rules(0, 0, 0, 0, Duration.ZERO));
    assertEquals(
        "keep-last 3, keep-weekly 4, max-age PT720H",
        rules(3, 0, 4, 0, Duration.ofDays(30)).describe());
  }
}
