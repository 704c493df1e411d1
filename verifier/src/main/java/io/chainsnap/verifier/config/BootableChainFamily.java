package io.chainsnap.verifier.config;

import io.chainsnap.chain.ChainFamilies;
import io.chainsnap.chain.ChainFamily;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * Converts {@code verifier.chains.<chain>.adapter} to its {@link ChainFamily}, refusing at start-up
 * an unknown name or a family the verifier cannot boot ({@link ChainFamily#supportsIsolatedBoot}).
 */
public class BootableChainFamily implements Converter<ChainFamily> {
  private static final long serialVersionUID = 1L;

  @Override
  public ChainFamily convert(String value) {
    ChainFamily family = ChainFamilies.get(value);
    if (!family.supportsIsolatedBoot()) {
      throw new IllegalArgumentException(
          "the verifier cannot boot '"
              + family.name()
              + "' nodes (it lacks "
              + String.join(", ", family.missing())
              + "); it boots "
              + String.join(", ", ChainFamilies.bootable()));
    }
    return family;
  }
}
