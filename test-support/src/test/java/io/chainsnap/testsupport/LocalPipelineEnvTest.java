package io.chainsnap.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the local run writes for scripts/local-up.sh: the token apart, both files private. */
class LocalPipelineEnvTest {
  @TempDir Path dir;

  @Test
  void theTokenIsInItsOwnPrivateFileAndTheEnvNamesOnlyThePath() throws Exception {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("S3_ENDPOINT", "http://127.0.0.1:9000");
    values.put("S3_SECRET_KEY", "secret");
    String token = "3f2a6c1e-token";
    Files.writeString(dir.resolve("pipeline.env"), "OLD=1\n"); // from an earlier start

    Path env = LocalPipeline.writeEnv(dir, values, token);

    Path tokenFile = dir.resolve(LocalPipeline.TOKEN_FILE);
    assertEquals(token + "\n", Files.readString(tokenFile));
    String text = Files.readString(env);
    assertEquals(
        "S3_ENDPOINT=http://127.0.0.1:9000\nS3_SECRET_KEY=secret\nSNAPSHOT_TOKEN_FILE="
            + tokenFile
            + "\n",
        text);
    assertFalse(text.contains(token), "the token itself is not in pipeline.env");
    for (Path file : new Path[] {tokenFile, env}) {
      assertEquals(
          "rw-------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
          file + "");
    }
    assertTrue(Files.notExists(dir.resolve("pipeline.env.partial")));
  }
}
