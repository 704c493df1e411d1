package io.chainsnap.chain;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Everything chainsnap knows about one family of nodes, looked up by its adapter name with {@link
 * ChainFamilies}: how to read a node ({@link #createAdapter}), which node controllers can stop and
 * start it, where its chain data lies under a data dir, which of its files are private, which are
 * never modified in place, and how the verifier boots it on a restored copy. Adding a chain means
 * adding a family here, in {@code chain}, and nothing in the services.
 *
 * <p>Bitcoin Core and Monero implement all of it; the other families read a node's status only
 * ({@link #missing()} says what they lack).
 */
public interface ChainFamily {

  /** The node controllers of the snapshotter ({@code node.controller}), by configuration name. */
  List<String> CONTROLLERS = List.of("daemon", "exec", "systemd", "kubernetes");

  /** The adapter name, e.g. {@code bitcoin-core}, {@code monero}. */
  String name();

  /**
   * A new adapter on the node at {@code endpoint}.
   *
   * @param endpoint the node's RPC URL (for REST-style APIs the base under which their paths lie)
   * @param user RPC user, or null/blank for none
   * @param password RPC password, or null
   * @param timeout limit for each call to the node
   */
  ChainAdapter createAdapter(URI endpoint, String user, String password, Duration timeout);

  /**
   * The snapshotter's node controllers (names from {@link #CONTROLLERS}) that can stop and start
   * this family's nodes, in the order of {@link #CONTROLLERS}.
   */
  Set<String> controllers();

  /** Whether the controller called {@code controller} (e.g. {@code daemon}) runs this family. */
  default boolean supportsController(String controller) {
    return controllers().contains(controller);
  }

  /**
   * The directory a snapshot of {@code network} captures, under the node's data dir {@code
   * dataDir}. A family that does not know its node's layout returns {@code dataDir} itself.
   *
   * @param network the target's network ({@code mainnet}, {@code testnet}, {@code regtest}, ...);
   *     Bitcoin Core also takes its own flags ({@code main}, {@code test})
   */
  Path chainDir(Path dataDir, String network);

  /**
   * Files never archived, because they are the node's own and not the chain's (wallets, keys,
   * locks, logs, peer lists, RPC cookies), as globs relative to the chain dir in the syntax of the
   * snapshotter's {@code exclude}. Empty for a family that does not know its node's files.
   */
  List<String> privateFiles();

  /**
   * Which files of a chain dir the node never modifies in place (only creates, then reads or
   * deletes), so that a checkpoint may hard-link them instead of copying; every other file must be
   * copied. The rule may depend on the other files (e.g. every block file but the newest).
   *
   * @param relativePaths every regular file of the chain dir, relative to it, {@code /}-separated
   * @return a test of one of those relative paths
   */
  Predicate<String> neverModifiedInPlace(Collection<String> relativePaths);

  /** Whether {@link #bootIsolated} can boot this family's node for verification. */
  boolean supportsIsolatedBoot();

  /**
   * Starts the node binary on a restored data dir, isolated (no peers, RPC on a free loopback
   * port), reads its tip and stops it again. The snapshot must have been restored into {@link
   * #chainDir chainDir(boot.dataDir(), boot.network())}.
   *
   * @return the tip the restored node reports
   * @throws ChainBootException if the node does not start, exits, or does not answer in time
   * @throws java.io.UncheckedIOException if the binary cannot be run at all or the data dir not
   *     written: the caller's trouble, not the restored data's
   * @throws UnsupportedOperationException if {@link #supportsIsolatedBoot()} is false
   */
  ChainStatus bootIsolated(IsolatedBoot boot);

  /**
   * Like {@link #bootIsolated(IsolatedBoot)}, and runs the family's deeper {@code checks} on the
   * node before it is stopped (Bitcoin Core: {@code verifychain}, {@code gettxoutsetinfo}). A
   * family without deeper checks (this default) reads the tip only.
   *
   * @throws ChainCheckFailedException if a deeper check fails ({@code verifychain} answers false)
   * @throws ChainBootException as {@link #bootIsolated(IsolatedBoot)}
   */
  default ChainChecks.Result bootIsolated(IsolatedBoot boot, ChainChecks checks) {
    return ChainChecks.Result.tipOnly(bootIsolated(boot));
  }

  /**
   * What this family lacks for its snapshots to be made safely and verified, one phrase each; empty
   * for a complete family.
   */
  List<String> missing();
}
