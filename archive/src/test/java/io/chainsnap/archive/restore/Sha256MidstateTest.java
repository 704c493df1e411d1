package io.chainsnap.archive.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.domain.Sha256;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Sha256MidstateTest {

  static String jdk(byte[] data) throws Exception {
    return Sha256.hex(data);
  }

  @Test
  void theFastPathIsUsedWhenTheJvmOpensTheDigest() {
    // surefire runs with the --add-opens of the chainsnap launcher
    assertTrue(Sha256Midstate.fast(), "JDK-backed digest with exportable state");
  }

  @Test
  void exportAndRestoreAtAnyCutGiveTheJdkDigest() throws Exception {
    byte[] data = new byte[200_003];
    new Random(11).nextBytes(data);
    for (int cut : new int[] {0, 1, 55, 56, 63, 64, 65, 127, 128, 4096, 100_000, 200_003}) {
      Sha256Midstate first = Sha256Midstate.create();
      first.update(data, 0, cut);
      String state = first.export();
      assertEquals(cut, first.length());
      Sha256Midstate second = Sha256Midstate.restore(state);
      assertEquals(cut, second.length());
      // several updates of odd sizes after the restore
      int pos = cut;
      Random sizes = new Random(cut);
      while (pos < data.length) {
        int n = Math.min(data.length - pos, 1 + sizes.nextInt(5000));
        second.update(data, pos, n);
        pos += n;
      }
      assertEquals(jdk(data), second.hex(), "cut " + cut);
    }
  }

  @Test
  void thePlainImplementationAgreesAndSharesTheStateFormat() throws Exception {
    byte[] data = new byte[70_001];
    new Random(5).nextBytes(data);
    Sha256Midstate plain = Sha256Midstate.plain(null);
    plain.update(data, 0, 30_000);
    Sha256Midstate fast = Sha256Midstate.restore(plain.export());
    fast.update(data, 30_000, 40_001);
    assertEquals(jdk(data), fast.hex());
    Sha256Midstate fast2 = Sha256Midstate.create();
    fast2.update(data, 0, 12_345);
    Sha256Midstate plain2 = Sha256Midstate.plain(fast2.export());
    plain2.update(data, 12_345, data.length - 12_345);
    assertEquals(jdk(data), plain2.hex());
  }

  @Test
  void knownVectors() throws Exception {
    Sha256Midstate empty = Sha256Midstate.create();
    assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", empty.hex());
    Sha256Midstate abc = Sha256Midstate.restore(Sha256Midstate.create().export());
    abc.update("abc".getBytes(), 0, 3);
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", abc.hex());
  }

  @Test
  void malformedStatesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Sha256Midstate.restore("nope"));
    assertThrows(
        IllegalArgumentException.class,
        () -> Sha256Midstate.restore("sha256:v1:" + "0".repeat(64) + ":3:00"));
  }
}
