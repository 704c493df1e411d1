package io.chainsnap.testsupport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scrape of {@code /q/metrics} (Prometheus text format) read the way tests ask: which families
 * lack a description ({@code # HELP}), and the value of a sample by name and labels.
 */
public final class PrometheusScrape {
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final List<String> lines;

  private PrometheusScrape(String text) {
    this.lines = text.lines().toList();
  }

  /** The scrape {@code text}. */
  public static PrometheusScrape of(String text) {
    return new PrometheusScrape(text);
  }

  /** The metric families (from the {@code # TYPE} lines) whose names start with {@code prefix}. */
  public TreeSet<String> families(String prefix) {
    TreeSet<String> families = new TreeSet<>();
    for (String line : lines) {
      String[] parts = line.split(" ", 4);
      if (parts.length >= 4 && parts[0].equals("#") && parts[1].equals("TYPE")) {
        if (parts[2].startsWith(prefix)) {
          families.add(parts[2]);
        }
      }
    }
    return families;
  }

  /** The description of {@code family}: the text of its {@code # HELP} line, empty if none. */
  public String help(String family) {
    String start = "# HELP " + family;
    for (String line : lines) {
      if (line.equals(start)) {
        return "";
      }
      if (line.startsWith(start + " ")) {
        return line.substring(start.length() + 1).trim();
      }
    }
    return "";
  }

  /** The families starting with {@code prefix} that have no description, or an empty one. */
  public List<String> withoutHelp(String prefix) {
    List<String> missing = new ArrayList<>();
    for (String family : families(prefix)) {
      if (help(family).isEmpty()) {
        missing.add(family);
      }
    }
    return missing;
  }

  /**
   * The value of the first sample named {@code name} whose labels include all of {@code labels};
   * empty if there is none.
   */
  public OptionalDouble value(String name, Map<String, String> labels) {
    for (String line : lines) {
      if (line.startsWith("#") || !line.startsWith(name)) {
        continue;
      }
      String rest = line.substring(name.length());
      Map<String, String> found = new LinkedHashMap<>();
      String value;
      if (rest.startsWith("{")) {
        int close = rest.lastIndexOf('}');
        Matcher m = LABEL.matcher(rest.substring(1, close));
        while (m.find()) {
          found.put(m.group(1), m.group(2));
        }
        value = rest.substring(close + 1).trim();
      } else if (rest.startsWith(" ")) {
        value = rest.trim();
      } else {
        continue; // another metric whose name starts with this one
      }
      if (found.entrySet().containsAll(labels.entrySet())) {
        return OptionalDouble.of(Double.parseDouble(value.split(" ")[0]));
      }
    }
    return OptionalDouble.empty();
  }
}
