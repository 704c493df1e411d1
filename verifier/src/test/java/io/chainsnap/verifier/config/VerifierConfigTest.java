package io.chainsnap.verifier.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.chain.ChainFamilies;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link VerifierConfig} as SmallRye maps it at start-up, without starting the service. */
class VerifierConfigTest {
  private static VerifierConfig map(Map<String, String> properties) {
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withMapping(VerifierConfig.class)
            .withDefaultValues(properties)
            .build();
    return config.getConfigMapping(VerifierConfig.class);
  }

  @Test
  void theAdapterIsTheChainFamilyBitcoinCoreByDefault() {
    VerifierConfig config =
        map(
            Map.of(
                "verifier.work-dir", "/tmp/v",
                "verifier.chains.litecoin.binary", "/usr/bin/litecoind",
                "verifier.chains.monero.adapter", "monero",
                "verifier.chains.monero.binary", "/usr/bin/monerod"));
    assertEquals(ChainFamilies.get("bitcoin-core"), config.chains().get("litecoin").adapter());
    assertEquals(ChainFamilies.get("monero"), config.chains().get("monero").adapter());
  }

  @Test
  void anUnknownAdapterFailsAtStartUpNamingThePropertyAndTheKnownOnes() {
    RuntimeException e =
        assertThrows(
            RuntimeException.class,
            () ->
                map(
                    Map.of(
                        "verifier.work-dir", "/tmp/v",
                        "verifier.chains.doge.adapter", "dogecoin",
                        "verifier.chains.doge.binary", "/usr/bin/dogecoind")));
    String message = messages(e);
    assertTrue(message.contains("verifier.chains.doge.adapter"), message);
    assertTrue(message.contains("bitcoin-core, monero, ethereum"), message);
  }

  @Test
  void aStatusOnlyAdapterFailsAtStartUpSayingWhatItLacks() {
    RuntimeException e =
        assertThrows(
            RuntimeException.class,
            () ->
                map(
                    Map.of(
                        "verifier.work-dir", "/tmp/v",
                        "verifier.chains.eth.adapter", "ethereum",
                        "verifier.chains.eth.binary", "/usr/bin/geth")));
    String message = messages(e);
    assertTrue(message.contains("verifier.chains.eth.adapter"), message);
    assertTrue(message.contains("cannot boot 'ethereum'"), message);
    assertTrue(message.contains("it boots bitcoin-core, monero"), message);
  }

  private static String messages(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append(" | ");
      for (Throwable s : t.getSuppressed()) {
        all.append(s.getMessage()).append(" | ");
      }
    }
    return all.toString();
  }
}
