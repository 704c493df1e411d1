package io.chainsnap.archive;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * How the writer compresses: a zstd level, and advanced parameters applied on top of it, written
 * the way the zstd command line takes them ({@code zstd -3 --zstd=strategy=1,hashLog=18,minMatch=6}
 * sets the same parameters). The decoder needs none of this: any zstd reads any of these frames.
 *
 * <p>The {@linkplain #DEFAULT default} is level 3 with the {@code fast} strategy and a 1 MiB hash
 * table. On chain data it compresses better than plain level 3 for less CPU: level 3 uses two hash
 * tables ({@code dfast}) of 128 and 64 Ki entries, a single lookup in a table of 256 Ki entries
 * finds more of the long repeats of block data (keys, scripts and hashes seen again) and costs
 * less. Data that is not a chain's can come out a little larger. The figures are in {@code
 * bench/README.md} ("Compression parameters").
 *
 * <p>Bounds: the parameters' own ranges in zstd, except {@code windowLog} at most 27 (128 MiB), the
 * largest window that {@code zstd -d} and other decoders accept without a flag.
 */
public final class ZstdSettings {

  /** An advanced parameter, with its zstd name, the zstd CLI's short alias and its range. */
  public enum Parameter {
    /** 1 fast, 2 dfast, 3 greedy, 4 lazy, 5 lazy2, 6 btlazy2, 7 btopt, 8 btultra, 9 btultra2. */
    STRATEGY("strategy", "strat", 1, 9),
    /** log2 of the largest back-reference distance. */
    WINDOW_LOG("windowLog", "wlog", 10, 27),
    /** log2 of the size of the main (first) match table, in entries. */
    HASH_LOG("hashLog", "hlog", 6, 30),
    /**
     * log2 of the secondary table (dfast's short hash, the chains and trees of other strategies).
     */
    CHAIN_LOG("chainLog", "clog", 6, 30),
    /** log2 of the number of searches (lazy and tree strategies). */
    SEARCH_LOG("searchLog", "slog", 1, 30),
    /** Shortest match searched for. */
    MIN_MATCH("minMatch", "mml", 3, 7),
    /** Match length that ends a search; {@code fast}: its acceleration. */
    TARGET_LENGTH("targetLength", "tlen", 0, 131072);

    private final String key;
    private final String alias;
    private final int min;
    private final int max;

    Parameter(String key, String alias, int min, int max) {
      this.key = key;
      this.alias = alias;
      this.min = min;
      this.max = max;
    }

    void apply(ZstdCompressCtx ctx, int value) {
      switch (this) {
        case WINDOW_LOG -> ctx.setWindowLog(value);
        case HASH_LOG -> ctx.setHashLog(value);
        case CHAIN_LOG -> ctx.setChainLog(value);
        case SEARCH_LOG -> ctx.setSearchLog(value);
        case MIN_MATCH -> ctx.setMinMatch(value);
        case TARGET_LENGTH -> ctx.setTargetLength(value);
        case STRATEGY -> ctx.setStrategy(value);
      }
    }

    static Parameter named(String name) {
      for (Parameter p : values()) {
        if (p.key.equalsIgnoreCase(name) || p.alias.equalsIgnoreCase(name)) {
          return p;
        }
      }
      throw new IllegalArgumentException(
          "unknown zstd parameter '"
              + name
              + "' (known: strategy, windowLog, hashLog, chainLog, searchLog, minMatch,"
              + " targetLength, or zstd's strat, wlog, hlog, clog, slog, mml, tlen)");
    }
  }

  /** The parameters of the default: {@code fast} strategy, 2^18-entry table, 6-byte matches. */
  public static final String DEFAULT_PARAMETERS = "strategy=1,hashLog=18,minMatch=6";

  /** What the writer uses unless told otherwise: level 3 with {@link #DEFAULT_PARAMETERS}. */
  public static final ZstdSettings DEFAULT = of(ArchiveFormat.DEFAULT_LEVEL, DEFAULT_PARAMETERS);

  private final int level;
  private final Map<Parameter, Integer> parameters;

  private ZstdSettings(int level, Map<Parameter, Integer> parameters) {
    this.level = level;
    this.parameters = parameters;
  }

  /**
   * Plain zstd level, no advanced parameter.
   *
   * @param level a zstd level; negative levels are the fast ones
   * @return the settings
   * @throws IllegalArgumentException outside zstd's levels
   */
  public static ZstdSettings level(int level) {
    return of(level, "");
  }

  /**
   * A level and advanced parameters.
   *
   * @param level a zstd level
   * @param parameters {@code name=value} pairs separated by commas, with zstd's names or the
   *     aliases of its CLI ({@code wlog=21,hlog=18}); empty or {@code none} for none
   * @return the settings
   * @throws IllegalArgumentException on a bad level, name, value or repeated name
   */
  public static ZstdSettings of(int level, String parameters) {
    if (level < Zstd.minCompressionLevel() || level > Zstd.maxCompressionLevel()) {
      throw new IllegalArgumentException(
          "zstd level must be in ["
              + Zstd.minCompressionLevel()
              + ", "
              + Zstd.maxCompressionLevel()
              + "], got "
              + level);
    }
    Map<Parameter, Integer> parsed = new EnumMap<>(Parameter.class);
    String text = parameters == null ? "" : parameters.strip();
    if (!text.isEmpty() && !text.equalsIgnoreCase("none")) {
      for (String pair : text.split(",", -1)) {
        int eq = pair.indexOf('=');
        if (eq < 0) {
          throw new IllegalArgumentException(
              "zstd parameter '" + pair.strip() + "' is not name=value (in '" + text + "')");
        }
        Parameter p = Parameter.named(pair.substring(0, eq).strip());
        String raw = pair.substring(eq + 1).strip();
        int value;
        try {
          value = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "zstd parameter " + p.key + " needs an integer, got '" + raw + "'");
        }
        if (value < p.min || value > p.max) {
          throw new IllegalArgumentException(
              "zstd parameter "
                  + p.key
                  + " must be in ["
                  + p.min
                  + ", "
                  + p.max
                  + "], got "
                  + value
                  + (p == Parameter.WINDOW_LOG
                      ? " (larger windows need a flag to decompress with plain zstd)"
                      : ""));
        }
        if (parsed.put(p, value) != null) {
          throw new IllegalArgumentException("zstd parameter " + p.key + " given twice");
        }
      }
    }
    return new ZstdSettings(level, Collections.unmodifiableMap(parsed));
  }

  /**
   * What a user asked for, with the rule of the CLI and the snapshotter's configuration: nothing
   * given means {@link #DEFAULT}; a level alone means that plain level (the default parameters were
   * tuned for level 3's window and would override most of another level's choices); parameters
   * alone apply on top of the default level.
   *
   * @param level the level given, or null
   * @param parameters the parameters given, or null
   * @return the settings
   */
  public static ZstdSettings resolve(Integer level, String parameters) {
    if (level == null && parameters == null) {
      return DEFAULT;
    }
    return of(level == null ? ArchiveFormat.DEFAULT_LEVEL : level, parameters);
  }

  /** The zstd level. */
  public int level() {
    return level;
  }

  /**
   * The advanced parameters in zstd's names and a fixed order, {@code name=value} separated by
   * commas; empty for none. What {@code zstd --zstd=} takes.
   */
  public String parameters() {
    StringJoiner joined = new StringJoiner(",");
    parameters.forEach((p, v) -> joined.add(p.key + "=" + v));
    return joined.toString();
  }

  /** The value of one parameter, or -1 when zstd derives it from the level. */
  public int get(Parameter parameter) {
    return parameters.getOrDefault(parameter, -1);
  }

  /** Sets the level, then the parameters, on a freshly reset context. */
  void applyTo(ZstdCompressCtx ctx) {
    ctx.setLevel(level);
    parameters.forEach((p, v) -> p.apply(ctx, v));
  }

  /** The equivalent zstd command line options, e.g. {@code -3 --zstd=strategy=1,hashLog=18}. */
  @Override
  public String toString() {
    String params = parameters();
    String lvl = level < 0 ? "--fast=" + -level : "-" + level;
    return params.isEmpty() ? lvl : lvl + " --zstd=" + params;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ZstdSettings z && z.level == level && z.parameters.equals(parameters);
  }

  @Override
  public int hashCode() {
    return 31 * level + parameters.hashCode();
  }
}
