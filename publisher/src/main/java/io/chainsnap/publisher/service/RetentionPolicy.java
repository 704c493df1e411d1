package io.chainsnap.publisher.service;

import io.chainsnap.domain.VerificationStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The retention decisions of one chain/network/mode, without storage (like restic's {@code
 * forget}): a snapshot is kept if any rule keeps it. Bucket rules ({@code keep-daily}, {@code
 * -weekly}, {@code -monthly}) keep the newest verified snapshot of each of the last N periods (UTC)
 * that have one; they and {@code keep-last} count verified snapshots only. Whatever the rules, the
 * latest verified snapshot, a snapshot younger than the download window and one neither verified
 * nor rejected yet are kept. Rejected snapshots are kept only by {@code max-age} and the window.
 */
public final class RetentionPolicy {

  /**
   * The rules of one chain/network/mode.
   *
   * @param keepLast newest N verified
   * @param keepDaily newest verified of each of the last N days that have one
   * @param keepWeekly likewise per ISO week
   * @param keepMonthly likewise per month
   * @param maxAge everything taken less than this ago (restic's {@code keep-within})
   */
  public record Rules(
      int keepLast, int keepDaily, int keepWeekly, int keepMonthly, Optional<Duration> maxAge) {

    /** Rules that are valid: no negative count, and at least one rule (else all would go). */
    public Rules {
      if (keepLast < 0 || keepDaily < 0 || keepWeekly < 0 || keepMonthly < 0) {
        throw new IllegalArgumentException("keep-* counts must not be negative");
      }
      if (maxAge.isPresent() && (maxAge.get().isNegative() || maxAge.get().isZero())) {
        throw new IllegalArgumentException("max-age must be positive");
      }
      if (keepLast + keepDaily + keepWeekly + keepMonthly == 0 && maxAge.isEmpty()) {
        throw new IllegalArgumentException(
            "no rule set (keep-last, keep-daily, keep-weekly, keep-monthly, max-age): it would"
                + " expire every snapshot but the latest");
      }
    }

    /** The rules as configured, e.g. {@code keep-last 3, keep-daily 7}. */
    public String describe() {
      List<String> parts = new ArrayList<>();
      if (keepLast > 0) {
        parts.add("keep-last " + keepLast);
      }
      if (keepDaily > 0) {
        parts.add("keep-daily " + keepDaily);
      }
      if (keepWeekly > 0) {
        parts.add("keep-weekly " + keepWeekly);
      }
      if (keepMonthly > 0) {
        parts.add("keep-monthly " + keepMonthly);
      }
      maxAge.ifPresent(age -> parts.add("max-age " + age));
      return String.join(", ", parts);
    }
  }

  /**
   * A listed snapshot of the mode.
   *
   * @param snapshotId its id
   * @param takenAt when it was taken (its age is measured from this)
   * @param status its verdict in the index
   */
  public record Candidate(String snapshotId, Instant takenAt, VerificationStatus status) {}

  /**
   * What happens to one snapshot.
   *
   * @param snapshot the snapshot
   * @param keep whether it stays
   * @param reasons the rules that keep it, or why it expires (one line)
   */
  public record Decision(Candidate snapshot, boolean keep, List<String> reasons) {}

  /** Newest first: by {@code takenAt}, then by id (as the index orders them). */
  static final Comparator<Candidate> NEWEST_FIRST =
      Comparator.comparing(Candidate::takenAt).thenComparing(Candidate::snapshotId).reversed();

  private RetentionPolicy() {}

  /**
   * The decisions for the snapshots of one mode at {@code now}, newest first; {@code window} is the
   * longest download window (nothing younger expires).
   */
  public static List<Decision> plan(
      Rules rules, List<Candidate> snapshots, Instant now, Duration window) {
    List<Candidate> newestFirst = new ArrayList<>(snapshots);
    newestFirst.sort(NEWEST_FIRST);
    Map<String, List<String>> keptBy = new LinkedHashMap<>();
    newestFirst.forEach(c -> keptBy.put(c.snapshotId(), new ArrayList<>()));

    List<Candidate> verified =
        newestFirst.stream().filter(c -> c.status() == VerificationStatus.VERIFIED).toList();
    if (!verified.isEmpty()) {
      keptBy.get(verified.get(0).snapshotId()).add("latest verified");
    }
    for (int i = 0; i < Math.min(rules.keepLast(), verified.size()); i++) {
      keptBy.get(verified.get(i).snapshotId()).add("keep-last " + rules.keepLast());
    }
    buckets(verified, rules.keepDaily(), "daily", c -> day(c).toString(), keptBy);
    buckets(verified, rules.keepWeekly(), "weekly", RetentionPolicy::isoWeek, keptBy);
    buckets(
        verified, rules.keepMonthly(), "monthly", c -> YearMonth.from(day(c)).toString(), keptBy);

    List<Decision> decisions = new ArrayList<>();
    for (Candidate c : newestFirst) {
      List<String> reasons = keptBy.get(c.snapshotId());
      Duration age = Duration.between(c.takenAt(), now);
      if (c.status() == VerificationStatus.PENDING) {
        reasons.add("not verified or rejected yet");
      }
      if (age.compareTo(window) < 0) {
        reasons.add("younger than the download window " + window);
      }
      if (rules.maxAge().isPresent() && age.compareTo(rules.maxAge().get()) < 0) {
        reasons.add("within max-age " + rules.maxAge().get());
      }
      if (!reasons.isEmpty()) {
        decisions.add(new Decision(c, true, List.copyOf(reasons)));
      } else if (c.status() == VerificationStatus.REJECTED) {
        decisions.add(
            new Decision(
                c,
                false,
                List.of(
                    "rejected, older than "
                        + rules
                            .maxAge()
                            .map(a -> "max-age " + a)
                            .orElse("the download window " + window))));
      } else {
        decisions.add(
            new Decision(
                c, false, List.of("verified, kept by no rule (" + rules.describe() + ")")));
      }
    }
    return decisions;
  }

  /** Keeps the newest of each of the first {@code count} distinct periods of {@code verified}. */
  private static void buckets(
      List<Candidate> verified,
      int count,
      String label,
      Function<Candidate, String> period,
      Map<String, List<String>> keptBy) {
    Set<String> seen = new HashSet<>();
    for (Candidate c : verified) {
      if (seen.size() == count) {
        return;
      }
      String key = period.apply(c);
      if (seen.add(key)) {
        keptBy.get(c.snapshotId()).add(label + " " + key);
      }
    }
  }

  private static LocalDate day(Candidate c) {
    return LocalDate.ofInstant(c.takenAt(), ZoneOffset.UTC);
  }

  private static String isoWeek(Candidate c) {
    LocalDate day = day(c);
    return String.format(
        "%d-W%02d", day.get(IsoFields.WEEK_BASED_YEAR), day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
  }
}
