package io.chainsnap.snapshotter;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainsnap.testsupport.Components;
import io.chainsnap.testsupport.Ports;
import io.chainsnap.testsupport.ServiceProcess;
import io.chainsnap.testsupport.SnapshotterProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The built snapshotter refuses to start on invalid configuration, naming the property. */
class ConfigValidationIT {
  Path dir;

  @BeforeEach
  void dir() throws Exception {
    dir = Files.createTempDirectory("chainsnap-config-");
  }

  @AfterEach
  void clean() {
    Components.deleteRecursively(dir);
  }

  Map<String, String> valid() {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("kafka.bootstrap.servers", "127.0.0.1:1");
    props.put("snapshotter.staging.dir", dir.resolve("staging").toString());
    props.put("snapshotter.archive.chunk-size", String.valueOf(SnapshotterProperties.CHUNK_SIZE));
    props.putAll(SnapshotterProperties.litecoinRegtest("ltc", dir.resolve("node"), 19999, "stop"));
    return props;
  }

  void assertRefused(Map<String, String> props, String property) {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                ServiceProcess.start(
                        "snapshotter", Ports.free(), props, dir, dir.resolve("snapshotter.log"))
                    .close());
    assertTrue(e.getMessage().contains(property), e.getMessage());
  }

  @Test
  void unknownModeIsNamed() {
    Map<String, String> props = valid();
    props.put("snapshotter.targets.ltc.mode", "everything");
    assertRefused(props, "snapshotter.targets.ltc.mode");
  }

  @Test
  void stagingRetentionWithinTheUrlLifetimeIsRefused() {
    Map<String, String> props = valid();
    props.put("snapshotter.staging.url-ttl", "P7D");
    props.put("snapshotter.staging.retention", "P2D");
    assertRefused(props, "snapshotter.staging.retention");
  }

  @Test
  void unknownAdapterIsNamed() {
    Map<String, String> props = valid();
    props.put("snapshotter.targets.ltc.node.adapter", "dogecoin-magic");
    assertRefused(props, "snapshotter.targets.ltc.node.adapter");
  }

  @Test
  void missingExecHookIsNamed() {
    Map<String, String> props = valid();
    props.put("snapshotter.targets.ltc.node.controller", "exec");
    props.put("snapshotter.targets.ltc.node.exec.start", "true");
    assertRefused(props, "snapshotter.targets.ltc.node.exec.stop");
  }

  @Test
  void chunksTheHeapCannotHoldAreRefused() {
    Map<String, String> props = valid();
    // within the format's bounds, but 256 MiB x (workers + 1) does not fit in this -Xmx384m JVM
    props.put("snapshotter.archive.chunk-size", "256M");
    assertRefused(props, "snapshotter.archive.chunk-size");
    assertRefused(props, "MiB of direct memory");
  }

  @Test
  void zstdParametersZstdWouldRefuseAreRefusedAtStartUp() {
    Map<String, String> props = valid();
    props.put("snapshotter.archive.zstd-parameters", "hashLog=99");
    assertRefused(props, "snapshotter.archive.zstd-parameters");
    assertRefused(props, "hashLog must be in [6, 30], got 99");
  }

  @Test
  void badQuiesceIsNamed() {
    Map<String, String> props = valid();
    props.put("snapshotter.targets.ltc.quiesce", "freeze-everything");
    assertRefused(props, "snapshotter.targets.ltc.quiesce");
  }

  @Test
  void aControllerTheFamilyCannotRunIsNamed() {
    Map<String, String> props = valid();
    props.put("snapshotter.targets.ltc.node.adapter", "monero");
    assertRefused(props, "snapshotter.targets.ltc.node.controller");
    assertRefused(props, "'daemon' cannot control monero nodes");
  }

  @Test
  void aFamilyWithoutKnownPrivateFilesNeedsExplicitExcludes() {
    Map<String, String> props = valid();
    props.put("snapshotter.targets.ltc.node.adapter", "ethereum");
    props.put("snapshotter.targets.ltc.node.controller", "exec");
    props.put("snapshotter.targets.ltc.node.exec.stop", "true");
    props.put("snapshotter.targets.ltc.node.exec.start", "true");
    props.put("snapshotter.targets.ltc.node.exec.status", "true");
    assertRefused(props, "snapshotter.targets.ltc.exclude");
  }

  @Test
  void badSizesAreNamed() {
    Map<String, String> props = valid();
    props.put("snapshotter.staging.min-free-space", "lots");
    assertRefused(props, "snapshotter.staging.min-free-space");
    props = valid();
    props.put("snapshotter.archive.chunk-size", "1k");
    assertRefused(props, "must be between 4KiB and 256MiB, got 1KiB");
  }
}
