package io.chainsnap.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's Chromium ({@code /usr/bin/chromium}, or {@code CHAINSNAP_CHROMIUM}) run headless to load
 * a page as a browser does: the rendered DOM ({@code --dump-dom}) and a screenshot. Every run has a
 * new profile directory, no sandbox (containers), no GPU, no QUIC, no background or component
 * traffic. JavaScript is off (the profile's content setting {@code javascript: 2}, block), so a
 * test sees what a reader without scripts sees; {@code --blink-settings=scriptEnabled=false} is not
 * used: with it, Chromium 156 dumps an empty DOM and writes no screenshot (both need script in the
 * page's world).
 */
public final class HeadlessChromium {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final Pattern HREF =
      Pattern.compile("<(?:a|link)\\b[^>]*?\\bhref=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
  private static final Pattern ENTITY =
      Pattern.compile("&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);");

  private final Path binary;
  private final boolean javaScript;

  private HeadlessChromium(Path binary, boolean javaScript) {
    this.binary = binary;
    this.javaScript = javaScript;
  }

  /**
   * The installed Chromium with the page's JavaScript disabled; fails with a message naming the
   * setup script when it is missing (never a silent skip).
   */
  public static HeadlessChromium withoutJavaScript() {
    String configured = System.getenv("CHAINSNAP_CHROMIUM");
    Path binary =
        Path.of(configured == null || configured.isBlank() ? "/usr/bin/chromium" : configured);
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          "Chromium is not installed at "
              + binary
              + " (or CHAINSNAP_CHROMIUM): run scripts/setup.sh --tests");
    }
    return new HeadlessChromium(binary, false);
  }

  /** The rendered DOM of {@code url}, serialised as HTML, once the page has loaded. */
  public String dumpDom(String url) {
    return run(List.of("--dump-dom", url));
  }

  /** A PNG screenshot of {@code url} at {@code width} x {@code height} into {@code file}. */
  public Path screenshot(String url, Path file, int width, int height) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    run(
        List.of(
            "--screenshot=" + file.toAbsolutePath(),
            "--window-size=" + width + "," + height,
            "--hide-scrollbars",
            url));
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("chromium wrote no screenshot to " + file);
    }
    return file;
  }

  /**
   * Every {@code href} of an {@code <a>} or {@code <link>} element of serialised HTML (as {@link
   * #dumpDom} gives it: attributes double-quoted), entities decoded, in document order, each once.
   */
  public static List<String> links(String html) {
    Set<String> links = new LinkedHashSet<>();
    Matcher m = HREF.matcher(html);
    while (m.find()) {
      links.add(decode(m.group(1)));
    }
    return new ArrayList<>(links);
  }

  /** {@code text} with the character and the five XML entity references decoded. */
  static String decode(String text) {
    Matcher m = ENTITY.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value =
          switch (name) {
            case "amp" -> "&";
            case "lt" -> "<";
            case "gt" -> ">";
            case "quot" -> "\"";
            case "apos" -> "'";
            default ->
                Character.toString(
                    name.startsWith("#x")
                        ? Integer.parseInt(name.substring(2), 16)
                        : Integer.parseInt(name.substring(1)));
          };
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private String run(List<String> args) {
    Path profile;
    try {
      profile = Files.createTempDirectory("chainsnap-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!javaScript) {
      // the profile's content setting blocks the page's scripts;
      // --blink-settings=scriptEnabled=false
      // would as well, but Chromium 156 then dumps an empty DOM and writes no screenshot
      try {
        Files.createDirectories(profile.resolve("Default"));
        Files.writeString(
            profile.resolve("Default/Preferences"),
            "{\"profile\":{\"default_content_setting_values\":{\"javascript\":2}}}");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(
        List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--user-data-dir=" + profile));
    command.addAll(args);
    Path log = profile.resolve("chromium.log");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectError(ProcessBuilder.Redirect.to(log.toFile()))
              .start();
      process.getOutputStream().close();
      CompletableFuture<byte[]> stdout = readAll(process.getInputStream());
      if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new IllegalStateException(
            "chromium did not finish within " + TIMEOUT + ": " + command + "\n" + tail(log));
      }
      String out = new String(stdout.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "chromium exited with " + process.exitValue() + ": " + command + "\n" + tail(log));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running chromium", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot read chromium's output", e);
    } finally {
      Components.deleteRecursively(profile);
    }
  }

  private static CompletableFuture<byte[]> readAll(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return in.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
