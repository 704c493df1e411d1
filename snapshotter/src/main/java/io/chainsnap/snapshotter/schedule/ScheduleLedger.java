package io.chainsnap.snapshotter.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Remembers, per target and on disk, the last schedule slot the agent handled, so that a slot
 * missed while the agent was down (stopped, crashed, machine asleep) fires once when it comes back:
 * once, however many slots were missed.
 *
 * <p>One small file per target under {@code <staging dir>/.schedule/}, replaced atomically, holding
 * an ISO-8601 instant. The cron syntax is Quartz's, as the Quarkus scheduler reads it.
 */
public final class ScheduleLedger {
  private static final Logger LOG = Logger.getLogger(ScheduleLedger.class);
  private static final CronParser QUARTZ =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

  /** What to do for a target at start-up. */
  enum StartAction {
    /** No record yet: the agent has never scheduled this target here; nothing counts as missed. */
    FIRST_START,
    /** The last slot due before now was handled: nothing to catch up. */
    UP_TO_DATE,
    /** At least one slot passed unhandled since the last record: fire once now. */
    MISSED
  }

  private final Path dir;

  ScheduleLedger(Path stagingDir) {
    this.dir = stagingDir.resolve(".schedule");
  }

  /**
   * Parses a Quartz cron expression.
   *
   * @throws IllegalArgumentException with the parser's reason if it is not one
   */
  static Cron parse(String cron) {
    return QUARTZ.parse(cron.strip()).validate();
  }

  /**
   * Checks that {@code cron} is a Quartz cron expression; {@link IllegalArgumentException} if not.
   */
  public static void check(String cron) {
    parse(cron);
  }

  /** The latest slot of {@code cron} at or before {@code now}, if the expression has one. */
  static Optional<Instant> lastSlot(String cron, Instant now, ZoneId zone) {
    return ExecutionTime.forCron(parse(cron))
        .lastExecution(ZonedDateTime.ofInstant(now, zone))
        .map(ZonedDateTime::toInstant);
  }

  /** Decides whether a slot of {@code cron} was missed since the recorded one. */
  StartAction atStart(String target, String cron, Instant now, ZoneId zone) {
    Optional<Instant> recorded = read(target);
    if (recorded.isEmpty()) {
      return StartAction.FIRST_START;
    }
    Optional<Instant> due = lastSlot(cron, now, zone);
    return due.isPresent() && due.get().isAfter(recorded.get())
        ? StartAction.MISSED
        : StartAction.UP_TO_DATE;
  }

  /** The slot last recorded for {@code target}; empty if none or unreadable (said in the log). */
  Optional<Instant> read(String target) {
    Path file = file(target);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(Files.readString(file, StandardCharsets.UTF_8).strip()));
    } catch (IOException | DateTimeParseException e) {
      LOG.warnf("schedule record %s is unreadable (%s): treated as a first start", file, e);
      return Optional.empty();
    }
  }

  /** Records that the slot at {@code slot} was handled (fired, or refused with an event). */
  void record(String target, Instant slot) {
    Path file = file(target);
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve("." + target + ".tmp");
      Files.writeString(tmp, slot.toString() + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // never block a snapshot on this: at worst one slot is caught up twice after a restart
      LOG.warnf("cannot record schedule slot of %s in %s: %s", target, file, e);
    }
  }

  private Path file(String target) {
    return dir.resolve(target + ".last");
  }
}
