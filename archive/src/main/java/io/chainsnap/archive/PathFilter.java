package io.chainsnap.archive;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Exclude globs turned into the include predicate of {@link ArchiveWriter.Builder#filter}: the one
 * meaning of an exclude pattern in chainsnap (the snapshotter's {@code excludes} and {@code
 * chainsnap create --exclude}).
 *
 * <ul>
 *   <li>A pattern without {@code /} matches a file or directory <em>name</em> at any depth, like
 *       {@code tar --exclude}: {@code *.log} excludes {@code debug.log} and {@code
 *       regtest/debug.log}; {@code wallets} excludes every directory or file named so.
 *   <li>A pattern with {@code /} matches the whole path relative to the source directory: {@code
 *       blocks/index/*} excludes what is in {@code blocks/index}, not the directory itself. A
 *       leading {@code /} is allowed and changes nothing ({@code /debug.log} is the top-level one
 *       only).
 *   <li>A match on a directory excludes everything below it.
 *   <li>A trailing {@code /} is allowed and ignored ({@code wallets/} is {@code wallets}).
 * </ul>
 *
 * <p>Wildcards: {@code *} any characters but {@code /}; {@code ?} one character but {@code /};
 * {@code **} any characters including {@code /}, and {@code **}{@code /} zero or more whole
 * directories, so {@code **}{@code /LOCK} matches {@code LOCK} and {@code chainstate/LOCK} and
 * {@code wallets/**} everything below {@code wallets}; {@code [abc]}, {@code [a-z]}, {@code [!ab]}
 * one character of (not of) a set; {@code {a,b}} either alternative; {@code \} quotes the next
 * character. Blank patterns are ignored.
 */
public final class PathFilter implements Predicate<String> {

  /** Keeps everything. */
  public static final PathFilter NONE = new PathFilter(List.of(), null, null);

  private final List<String> patterns;
  private final Pattern names;
  private final Pattern paths;

  private PathFilter(List<String> patterns, Pattern names, Pattern paths) {
    this.patterns = patterns;
    this.names = names;
    this.paths = paths;
  }

  /**
   * The filter that keeps every path none of {@code excludes} matches.
   *
   * @throws IllegalArgumentException naming a malformed pattern (unclosed {@code [} or {@code {})
   */
  public static PathFilter excluding(Collection<String> excludes) {
    List<String> kept = new ArrayList<>();
    List<String> nameRegexes = new ArrayList<>();
    List<String> pathRegexes = new ArrayList<>();
    for (String raw : excludes) {
      String glob = raw == null ? "" : raw.strip();
      while (glob.endsWith("/")) {
        glob = glob.substring(0, glob.length() - 1);
      }
      if (glob.isEmpty()) {
        continue;
      }
      kept.add(raw.strip());
      boolean whole = glob.contains("/");
      while (glob.startsWith("/")) {
        glob = glob.substring(1);
      }
      (whole ? pathRegexes : nameRegexes).add(toRegex(glob, raw));
    }
    return new PathFilter(List.copyOf(kept), union(nameRegexes), union(pathRegexes));
  }

  /** The exclude patterns, as given (stripped, blank ones left out). */
  public List<String> patterns() {
    return patterns;
  }

  /**
   * Whether to archive {@code relativePath} ({@code /}-separated, no leading or trailing {@code
   * /}): true unless a pattern matches it or one of its parent directories.
   */
  @Override
  public boolean test(String relativePath) {
    return !excludes(relativePath);
  }

  /** Whether a pattern matches {@code relativePath} or one of its parent directories. */
  public boolean excludes(String relativePath) {
    if (names == null && paths == null) {
      return false;
    }
    int start = 0;
    while (true) {
      int slash = relativePath.indexOf('/', start);
      int end = slash < 0 ? relativePath.length() : slash;
      if (names != null && names.matcher(relativePath).region(start, end).matches()) {
        return true;
      }
      if (paths != null && paths.matcher(relativePath).region(0, end).matches()) {
        return true;
      }
      if (slash < 0) {
        return false;
      }
      start = slash + 1;
    }
  }

  @Override
  public String toString() {
    return "PathFilter" + patterns;
  }

  private static Pattern union(List<String> regexes) {
    return regexes.isEmpty() ? null : Pattern.compile(String.join("|", regexes));
  }

  /** The regular expression of one glob (see the class comment), as a non-capturing group. */
  static String toRegex(String glob, String original) {
    StringBuilder re = new StringBuilder("(?:");
    int braces = 0;
    int n = glob.length();
    for (int i = 0; i < n; i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> {
          if (i + 1 < n && glob.charAt(i + 1) == '*') {
            i++;
            boolean atSegmentStart = i == 1 || glob.charAt(i - 2) == '/';
            if (atSegmentStart && i + 1 < n && glob.charAt(i + 1) == '/') {
              i++;
              re.append("(?:.*/)?");
            } else {
              re.append(".*");
            }
          } else {
            re.append("[^/]*");
          }
        }
        case '?' -> re.append("[^/]");
        case '[' -> i = characterClass(glob, i, re, original);
        case '{' -> {
          if (braces > 0) {
            throw malformed(original, "nested '{'");
          }
          braces++;
          re.append("(?:");
        }
        case '}' -> {
          if (braces == 0) {
            re.append("\\}");
          } else {
            braces--;
            re.append(')');
          }
        }
        case ',' -> re.append(braces > 0 ? "|" : ",");
        case '\\' -> {
          if (i + 1 >= n) {
            throw malformed(original, "'\\' at the end");
          }
          re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
        }
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    if (braces > 0) {
      throw malformed(original, "unclosed '{'");
    }
    String regex = re.append(')').toString();
    try {
      Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw malformed(original, e.getDescription());
    }
    return regex;
  }

  /**
   * Appends the character class starting at {@code glob[open]} (never matching {@code /} when
   * negated); returns the index of its closing {@code ]}.
   */
  private static int characterClass(String glob, int open, StringBuilder re, String original) {
    int i = open + 1;
    boolean negated = i < glob.length() && (glob.charAt(i) == '!' || glob.charAt(i) == '^');
    if (negated) {
      i++;
    }
    StringBuilder set = new StringBuilder(negated ? "[^" : "[");
    boolean first = true;
    for (; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == ']' && !first) {
        re.append(set).append(negated ? "/]" : "]");
        return i;
      }
      boolean range = c == '-' && !first && i + 1 < glob.length() && glob.charAt(i + 1) != ']';
      if (range || Character.isLetterOrDigit(c)) {
        set.append(c);
      } else {
        set.append('\\').append(c);
      }
      first = false;
    }
    throw malformed(original, "unclosed '['");
  }

  private static IllegalArgumentException malformed(String pattern, String problem) {
    return new IllegalArgumentException("invalid exclude pattern '" + pattern + "': " + problem);
  }
}
