package io.chainsnap.chain;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A family chainsnap can read the status of, and no more: it does not know the node's data layout
 * (the chain dir is the whole data dir, no private files), copies every file of a checkpoint, and
 * cannot boot the node for verification, so its snapshots cannot be verified nor published.
 */
final class StatusOnlyFamily implements ChainFamily {
  /** Creates the family's adapter. */
  @FunctionalInterface
  interface AdapterFactory {
    ChainAdapter create(URI endpoint, String user, String password, Duration timeout);
  }

  private static final List<String> MISSING =
      List.of(
          "the chain dir per network",
          "its private files (node keys, validator keys, peer lists)",
          "an isolated boot for the verifier");

  private final String name;
  private final AdapterFactory adapters;

  StatusOnlyFamily(String name, AdapterFactory adapters) {
    this.name = name;
    this.adapters = adapters;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ChainAdapter createAdapter(URI endpoint, String user, String password, Duration timeout) {
    return adapters.create(endpoint, user, password, timeout);
  }

  /** The operator's controllers: {@code exec}, {@code systemd}, {@code kubernetes}. */
  @Override
  public Set<String> controllers() {
    return ChainFamilies.controllers(List.of("exec", "systemd", "kubernetes"));
  }

  /** The data dir itself: the node's layout is not known. */
  @Override
  public Path chainDir(Path dataDir, String network) {
    return dataDir;
  }

  /** None known: only the operator's {@code exclude} applies. */
  @Override
  public List<String> privateFiles() {
    return List.of();
  }

  /** None known: every file is copied. */
  @Override
  public Predicate<String> neverModifiedInPlace(Collection<String> relativePaths) {
    return relative -> false;
  }

  @Override
  public boolean supportsIsolatedBoot() {
    return false;
  }

  @Override
  public ChainStatus bootIsolated(IsolatedBoot boot) {
    throw new UnsupportedOperationException(
        "chain family " + name + " cannot be booted for verification: it lacks " + MISSING);
  }

  @Override
  public List<String> missing() {
    return MISSING;
  }
}
