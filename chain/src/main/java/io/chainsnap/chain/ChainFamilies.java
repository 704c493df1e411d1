package io.chainsnap.chain;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The chain families by adapter name: {@code bitcoin-core}, {@code monero}, and status-only ones.
 */
public final class ChainFamilies {
  private static final Map<String, ChainFamily> FAMILIES = new LinkedHashMap<>();

  static {
    add(new BitcoinCoreFamily());
    add(new MoneroFamily());
    add(new StatusOnlyFamily("ethereum", EthereumChainAdapter::new));
    add(new StatusOnlyFamily("near", NearChainAdapter::new));
    add(new StatusOnlyFamily("substrate", SubstrateChainAdapter::new));
    add(new StatusOnlyFamily("tezos", TezosChainAdapter::new));
    add(new StatusOnlyFamily("cometbft", CometBftChainAdapter::new));
  }

  /** The adapter names of every family, in the order they are listed in error messages. */
  public static final List<String> NAMES = List.copyOf(FAMILIES.keySet());

  private ChainFamilies() {}

  private static void add(ChainFamily family) {
    FAMILIES.put(family.name(), family);
  }

  /**
   * The family whose adapter is called {@code name} (surrounding blanks ignored).
   *
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  public static ChainFamily get(String name) {
    return find(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown chain adapter '"
                        + name
                        + "'; known adapters: "
                        + String.join(", ", NAMES)));
  }

  /** The family whose adapter is called {@code name}, if there is one. */
  public static Optional<ChainFamily> find(String name) {
    return Optional.ofNullable(name == null ? null : FAMILIES.get(name.strip()));
  }

  /** Every family, in the order of {@link #NAMES}. */
  public static Collection<ChainFamily> all() {
    return Collections.unmodifiableCollection(FAMILIES.values());
  }

  /** The names of the families the verifier can boot ({@link ChainFamily#supportsIsolatedBoot}). */
  public static List<String> bootable() {
    return all().stream().filter(ChainFamily::supportsIsolatedBoot).map(ChainFamily::name).toList();
  }

  /** {@code names} as an unmodifiable set in the order of {@link ChainFamily#CONTROLLERS}. */
  static Set<String> controllers(List<String> names) {
    Set<String> ordered = new LinkedHashSet<>();
    for (String controller : ChainFamily.CONTROLLERS) {
      if (names.contains(controller)) {
        ordered.add(controller);
      }
    }
    return Collections.unmodifiableSet(ordered);
  }
}
