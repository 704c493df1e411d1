package io.chainsnap.chain;

/**
 * The deeper checks {@link ChainFamily#bootIsolated(IsolatedBoot, ChainChecks)} runs on a restored
 * node once it answers, before it is stopped. A family without such checks ignores them.
 *
 * @param verifyChainLevel Bitcoin Core {@code verifychain} checklevel, 0 to 4; null: not run
 * @param verifyChainBlocks {@code verifychain} nblocks, the number of blocks back from the tip to
 *     check, 0 for all
 * @param utxoSetHash whether to read {@code gettxoutsetinfo}'s UTXO set hash
 */
public record ChainChecks(Integer verifyChainLevel, int verifyChainBlocks, boolean utxoSetHash) {

  /** No deeper checks: the tip only. */
  public static final ChainChecks NONE = new ChainChecks(null, 0, false);

  /** Refuses a level outside 0..4 and negative blocks. */
  public ChainChecks {
    if (verifyChainLevel != null && (verifyChainLevel < 0 || verifyChainLevel > 4)) {
      throw new IllegalArgumentException(
          "verifychain level must be 0 to 4, not " + verifyChainLevel);
    }
    if (verifyChainBlocks < 0) {
      throw new IllegalArgumentException(
          "verifychain blocks must be 0 (all) or more, not " + verifyChainBlocks);
    }
  }

  /**
   * What the checks found, with the tip.
   *
   * @param status the tip the restored node reports
   * @param verifyChainLevel the checklevel of a {@code verifychain} that passed; null if not run
   * @param verifyChainBlocks its nblocks
   * @param utxoSetHashType which hash {@code gettxoutsetinfo} returned ({@code hash_serialized_2},
   *     {@code hash_serialized_3}, {@code muhash}); null if not read
   * @param utxoSetHash that hash, hex; null if not read
   * @param utxoSetHeight the height {@code gettxoutsetinfo} computed it at; -1 if not read
   */
  public record Result(
      ChainStatus status,
      Integer verifyChainLevel,
      Integer verifyChainBlocks,
      String utxoSetHashType,
      String utxoSetHash,
      long utxoSetHeight) {

    /** The tip alone, no deeper check run. */
    public static Result tipOnly(ChainStatus status) {
      return new Result(status, null, null, null, null, -1);
    }
  }
}
