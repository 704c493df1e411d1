package io.chainsnap.chain;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** Creates a {@link ChainAdapter} from its configured name (through its {@link ChainFamily}). */
public final class ChainAdapters {
  /** The known adapter names, in the order they are listed in error messages. */
  public static final List<String> NAMES = ChainFamilies.NAMES;

  private ChainAdapters() {}

  /**
   * The adapter called {@code adapter} for the node at {@code endpoint}: {@link
   * ChainFamilies#get}{@code (adapter).}{@link ChainFamily#createAdapter createAdapter(...)}.
   *
   * @param adapter one of {@link #NAMES}
   * @param endpoint the node's RPC URL (for REST-style APIs the base under which their paths lie)
   * @param user RPC user, or null/blank for none
   * @param password RPC password
   * @param timeout limit for each call to the node
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  public static ChainAdapter create(
      String adapter, URI endpoint, String user, String password, Duration timeout) {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(timeout, "timeout");
    return ChainFamilies.get(adapter).createAdapter(endpoint, user, password, timeout);
  }
}
