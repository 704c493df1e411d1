package io.chainsnap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.chainsnap.events.Topics;
import io.chainsnap.testsupport.Components;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Kubernetes manifests ({@code k8s/}) and the systemd units ({@code deploy/local/}), checked
 * without a cluster: every overlay renders with {@code kubectl kustomize}; every rendered
 * Kubernetes and prometheus-operator object validates against the OpenAPI schemas compiled into the
 * npm packages {@code kubernetes-models} and {@code @kubernetes-models/prometheus-operator} ({@code
 * k8s/schemas/validate.mjs}; types, required fields, enums and formats, not unknown fields: those
 * schemas do not close their objects); the Strimzi objects, for which no schema is reachable here,
 * are checked field by field below. Every environment variable the manifests and env files set is a
 * config key its service reads, and the systemd units pass {@code systemd-analyze verify}.
 */
class KubernetesManifestsTest {
  static final Path ROOT = Components.projectDir();
  static final Path K8S = ROOT.resolve("k8s");
  static final Path LOCAL = ROOT.resolve("deploy/local");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> SERVICES = List.of("snapshotter", "publisher", "verifier");

  /**
   * Keys some framework part of every service reads although neither its config interfaces nor its
   * application.properties name them: the SmallRye Kafka connector's default broker list of every
   * channel (what {@code LocalPipeline} sets for the real services too).
   */
  static final List<String> FRAMEWORK_KEYS = List.of("kafka.bootstrap.servers");

  /** Exit code, stdout, and stdout followed by stderr. */
  record Run(int exit, String stdout, String output) {}

  /** Runs a command in the project directory: exit code, stdout, then stderr. */
  static Run run(List<String> command, String stdin) throws Exception {
    Process process = new ProcessBuilder(command).directory(ROOT.toFile()).start();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread drain =
        new Thread(
            () -> {
              try {
                process.getErrorStream().transferTo(err);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    drain.start();
    try (OutputStream in = process.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(2, TimeUnit.MINUTES), command + " finished");
    drain.join();
    return new Run(process.exitValue(), output, output + err.toString(StandardCharsets.UTF_8));
  }

  static List<JsonNode> render(String overlay) throws Exception {
    Path kubectl = Path.of("/usr/bin/kubectl");
    assertTrue(Files.isExecutable(kubectl), "kubectl missing: scripts/setup.sh --tests");
    Run run = run(List.of(kubectl.toString(), "kustomize", "k8s/overlays/" + overlay), null);
    assertEquals(0, run.exit(), "kubectl kustomize k8s/overlays/" + overlay + ":\n" + run.output());
    List<JsonNode> objects = new ArrayList<>();
    try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(run.stdout())) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc != null && !doc.isNull() && !doc.isEmpty()) {
          objects.add(doc);
        }
      }
    }
    assertFalse(objects.isEmpty(), overlay + " renders objects");
    return objects;
  }

  static List<JsonNode> ofKind(List<JsonNode> objects, String kind) {
    return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
  }

  static JsonNode named(List<JsonNode> objects, String kind, String name) {
    return ofKind(objects, kind).stream()
        .filter(o -> name.equals(o.path("metadata").path("name").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError(kind + "/" + name + " not rendered"));
  }

  static boolean strimzi(JsonNode object) {
    return object.path("apiVersion").asText().startsWith("kafka.strimzi.io/");
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "production", "production-cronjob"})
  void everyRenderedObjectValidatesAgainstItsSchema(String overlay) throws Exception {
    List<JsonNode> objects = render(overlay);
    Path validator = K8S.resolve("schemas/validate.mjs");
    assertTrue(
        Files.isDirectory(K8S.resolve("schemas/node_modules/kubernetes-models")),
        "k8s/schemas/node_modules missing: scripts/setup.sh --tests (npm install in k8s/schemas)");
    ArrayNode array = JSON.createArrayNode();
    objects.forEach(array::add);
    Run run = run(List.of("node", validator.toString()), JSON.writeValueAsString(array));
    List<JsonNode> results = new ArrayList<>();
    for (String line : run.stdout().split("\n")) {
      if (line.startsWith("{")) {
        results.add(JSON.readTree(line));
      }
    }
    assertEquals(objects.size(), results.size(), "one result per object:\n" + run.output());
    int validated = 0;
    for (int i = 0; i < objects.size(); i++) {
      JsonNode object = objects.get(i);
      JsonNode result = results.get(i);
      String what = object.path("kind").asText() + "/" + object.path("metadata").path("name");
      if (strimzi(object)) {
        assertEquals("no-schema", result.path("status").asText(), what);
      } else {
        assertEquals("valid", result.path("status").asText(), what + ": " + result);
        validated++;
      }
    }
    assertEquals(0, run.exit(), run.output());
    assertTrue(validated >= 15, "validated " + validated + " objects of " + overlay);
  }

  @Test
  void theValidatorRejectsABrokenObject() throws Exception {
    JsonNode deployment = named(render("local"), "Deployment", "publisher").deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) deployment.path("spec"))
        .put("replicas", "two");
    ArrayNode array = JSON.createArrayNode().add(deployment);
    Run run =
        run(
            List.of("node", K8S.resolve("schemas/validate.mjs").toString()),
            JSON.writeValueAsString(array));
    assertEquals(1, run.exit(), run.output());
    assertTrue(run.output().contains("\"invalid\"") && run.output().contains("/spec/replicas"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "production", "production-cronjob"})
  void kafkaInKraftModeWithATopicPerEventTopic(String overlay) throws Exception {
    List<JsonNode> objects = render(overlay);
    JsonNode kafka = ofKind(objects, "Kafka").get(0);
    String cluster = kafka.path("metadata").path("name").asText();
    JsonNode annotations = kafka.path("metadata").path("annotations");
    assertEquals("enabled", annotations.path("strimzi.io/kraft").asText());
    assertEquals("enabled", annotations.path("strimzi.io/node-pools").asText());
    assertTrue(kafka.path("spec").path("zookeeper").isMissingNode(), "KRaft: no ZooKeeper");
    JsonNode pool = ofKind(objects, "KafkaNodePool").get(0);
    assertEquals(cluster, pool.path("metadata").path("labels").path("strimzi.io/cluster").asText());
    Set<String> roles = new TreeSet<>();
    pool.path("spec").path("roles").forEach(r -> roles.add(r.asText()));
    assertEquals(Set.of("broker", "controller"), roles);
    int brokers = pool.path("spec").path("replicas").asInt();
    assertTrue(brokers >= 1);

    Set<String> expected = new TreeSet<>();
    for (Field field : Topics.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        expected.add((String) field.get(null));
      }
    }
    assertTrue(expected.contains(Topics.DEAD_LETTER));
    Set<String> topics = new TreeSet<>();
    for (JsonNode topic : ofKind(objects, "KafkaTopic")) {
      String name = topic.path("metadata").path("name").asText();
      topics.add(name);
      assertEquals(
          cluster, topic.path("metadata").path("labels").path("strimzi.io/cluster").asText());
      JsonNode spec = topic.path("spec");
      assertTrue(spec.path("partitions").asInt() >= 1, name);
      int replicas = spec.path("replicas").asInt();
      assertTrue(replicas >= 1 && replicas <= brokers, name + ": replicas within the brokers");
      assertTrue(spec.path("config").path("retention.ms").isNumber(), name + ": retention.ms");
    }
    assertEquals(expected, topics, "a KafkaTopic for every topic of Topics.java");
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "production", "production-cronjob"})
  void prometheusRuleCarriesTheRuleFile(String overlay) throws Exception {
    JsonNode rule = ofKind(render(overlay), "PrometheusRule").get(0);
    JsonNode file =
        YAML.readTree(ROOT.resolve("deploy/prometheus/rules/chainsnap.rules.yml").toFile());
    assertEquals(
        file.path("groups"),
        rule.path("spec").path("groups"),
        "k8s/base/prometheus-rule.yaml is stale: run k8s/generate-prometheus-rule.sh");
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "production", "production-cronjob"})
  void workloadsHaveProbesLimitsMonitorsAndNoInlinedSecret(String overlay) throws Exception {
    List<JsonNode> objects = render(overlay);
    assertTrue(ofKind(objects, "Secret").isEmpty(), "no Secret is rendered: they are referenced");
    String namespace = ofKind(objects, "Namespace").get(0).path("metadata").path("name").asText();
    for (JsonNode object : objects) {
      if (!object.path("kind").asText().equals("Namespace")) {
        assertEquals(
            namespace,
            object.path("metadata").path("namespace").asText(),
            object.path("kind").asText()
                + "/"
                + object.path("metadata").path("name")
                + " namespace");
      }
    }
    Map<String, JsonNode> services = new HashMap<>();
    for (JsonNode container : chainsnapContainers(objects).values()) {
      String name = container.path("name").asText();
      services.put(name, container);
      assertEquals(
          "/q/health/live",
          container.path("livenessProbe").path("httpGet").path("path").asText(),
          name);
      assertEquals(
          "/q/health/ready",
          container.path("readinessProbe").path("httpGet").path("path").asText(),
          name);
    }
    assertEquals(Set.copyOf(SERVICES), services.keySet());
    for (JsonNode object : objects) {
      for (JsonNode container : podSpec(object).path("containers")) {
        String what = object.path("kind").asText() + "/" + container.path("name").asText();
        JsonNode resources = container.path("resources");
        assertTrue(resources.path("requests").has("cpu"), what + " cpu request");
        assertTrue(resources.path("requests").has("memory"), what + " memory request");
        assertTrue(resources.path("limits").has("memory"), what + " memory limit");
        for (JsonNode env : container.path("env")) {
          String envName = env.path("name").asText();
          if (envName.matches(".*(TOKEN|PASSWORD|SECRET|ACCESS_KEY|RPCAUTH).*")) {
            assertTrue(
                env.path("value").isMissingNode()
                    && env.path("valueFrom").path("secretKeyRef").has("name"),
                what + " " + envName + " comes from a secret");
          }
        }
      }
    }
    JsonNode node = named(objects, "StatefulSet", "litecoin");
    JsonNode spec = node.path("spec").path("template").path("spec");
    assertTrue(spec.path("shareProcessNamespace").asBoolean(), "shareProcessNamespace");
    Map<String, String> dataMounts = new HashMap<>();
    for (JsonNode container : spec.path("containers")) {
      for (JsonNode mount : container.path("volumeMounts")) {
        if (mount.path("name").asText().equals("data")) {
          dataMounts.put(container.path("name").asText(), mount.path("mountPath").asText());
        }
      }
    }
    assertEquals(
        Set.of("litecoind", "snapshotter"), dataMounts.keySet(), "both mount the data volume");
    JsonNode publisher = services.get("publisher");
    String keyFile = envValue(publisher, "PUBLISHER_SIGNING_KEY_FILE");
    assertTrue(
        mountedSecrets(named(objects, "Deployment", "publisher")).stream()
            .anyMatch(keyFile::startsWith),
        "the signing key file is in a mounted secret volume");

    Set<String> monitored = new TreeSet<>();
    for (JsonNode monitor : ofKind(objects, "ServiceMonitor")) {
      String app =
          monitor
              .path("spec")
              .path("selector")
              .path("matchLabels")
              .path("app.kubernetes.io/name")
              .asText();
      JsonNode service = named(objects, "Service", app);
      String jobLabel = monitor.path("spec").path("jobLabel").asText();
      assertEquals(
          "chainsnap-" + app,
          service.path("metadata").path("labels").path(jobLabel).asText(),
          "job label of " + app);
      String port = monitor.path("spec").path("endpoints").get(0).path("port").asText();
      assertTrue(service.path("spec").path("ports").findValuesAsText("name").contains(port));
      monitored.add(app);
    }
    assertEquals(new TreeSet<>(SERVICES), monitored, "a ServiceMonitor per service");
    assertFalse(ofKind(objects, "NetworkPolicy").isEmpty(), "NetworkPolicy");
  }

  @Test
  void theCronJobVariantPostsTheRestTriggerWithTheToken() throws Exception {
    List<JsonNode> objects = render("production-cronjob");
    JsonNode snapshotter = chainsnapContainers(objects).get("snapshotter");
    String target = targetName(snapshotter);
    assertEquals(
        "off", envValue(snapshotter, "SNAPSHOTTER_TARGETS_" + target.toUpperCase() + "_CRON"));
    JsonNode tokenRef =
        envEntry(snapshotter, "SNAPSHOTTER_REQUEST_TOKEN").path("valueFrom").path("secretKeyRef");
    JsonNode cronJob = ofKind(objects, "CronJob").get(0);
    JsonNode pod =
        cronJob.path("spec").path("jobTemplate").path("spec").path("template").path("spec");
    List<String> args = new ArrayList<>();
    pod.path("containers").get(0).path("args").forEach(a -> args.add(a.asText()));
    String script = String.join(" ", args);
    assertTrue(script.contains("-X POST"), script);
    assertTrue(script.contains("/targets/" + target + "/snapshots"), script);
    assertTrue(script.contains("Authorization: Bearer"), script);
    JsonNode volume = pod.path("volumes").get(0).path("secret");
    assertEquals(tokenRef.path("name").asText(), volume.path("secretName").asText());
    assertEquals(tokenRef.path("key").asText(), volume.path("items").get(0).path("key").asText());
    String mountPath =
        pod.path("containers").get(0).path("volumeMounts").get(0).path("mountPath").asText();
    assertTrue(
        script.contains(mountPath + "/" + volume.path("items").get(0).path("path").asText()),
        script);
    String port =
        String.valueOf(
            named(objects, "Service", "snapshotter")
                .path("spec")
                .path("ports")
                .get(0)
                .path("port")
                .asInt());
    assertTrue(
        script.contains(
            "http://snapshotter."
                + cronJob.path("metadata").path("namespace").asText()
                + ".svc:"
                + port
                + "/"),
        script);
    // without the variant, the snapshotter schedules the target itself
    assertFalse(
        "off"
            .equals(
                envValue(
                    chainsnapContainers(render("production")).get("snapshotter"),
                    "SNAPSHOTTER_TARGETS_" + target.toUpperCase() + "_CRON")));
  }

  // --- config cross-check ---------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"local", "production", "production-cronjob"})
  void everyEnvVarOfTheManifestsIsAKeyItsServiceReads(String overlay) throws Exception {
    List<JsonNode> objects = render(overlay);
    for (JsonNode object : objects) {
      for (JsonNode container : podSpec(object).path("containers")) {
        String name = container.path("name").asText();
        for (JsonNode env : container.path("env")) {
          String envName = env.path("name").asText();
          if (SERVICES.contains(name)) {
            assertTrue(reads(name, envName), overlay + ": " + name + " reads no key " + envName);
          } else {
            // a container of someone else's image: the variable must at least be used by its
            // command
            String command = container.path("command").toString() + container.path("args");
            assertTrue(command.contains("$(" + envName + ")"), name + " uses " + envName);
          }
        }
      }
    }
  }

  @Test
  void everyKeyOfTheEnvFilesIsAKeyItsServiceReads() throws Exception {
    for (String service : SERVICES) {
      Path file = LOCAL.resolve(service + ".env");
      int keys = 0;
      for (String line : Files.readAllLines(file)) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String envName = line.substring(0, line.indexOf('='));
        assertTrue(reads(service, envName), file + ": " + service + " reads no key " + envName);
        keys++;
      }
      assertTrue(keys > 3, file + " sets keys");
    }
  }

  @Test
  void theKeyCheckKnowsRealKeysAndRefusesInventedOnes() throws Exception {
    assertTrue(reads("publisher", "PUBLISHER_S3_BUCKET"));
    assertTrue(reads("publisher", "PUBLISHER_CLOUDFRONT_SIGNED_URLS_KEY_PAIR_ID"));
    assertTrue(reads("snapshotter", "SNAPSHOTTER_TARGETS_BTC_NODE_DATA_DIR"));
    assertTrue(reads("verifier", "VERIFIER_CHAINS_LITECOIN_VERIFYCHAIN_LEVEL"));
    assertTrue(reads("snapshotter", "CHAINSNAP_STAGING_DIR"), "a ${VAR} of application.properties");
    assertFalse(reads("publisher", "PUBLISHER_S3_BUKET"));
    assertFalse(reads("publisher", "VERIFIER_WORK_DIR"), "another service's key");
    assertFalse(reads("snapshotter", "SNAPSHOTTER_TARGETS_BTC_NODE_DATADIR"));
    assertFalse(reads("verifier", "VERIFIER_CHAINS_LITECOIN"));
  }

  static boolean reads(String service, String envName) throws IOException {
    for (Pattern key : readKeys(service)) {
      if (key.matcher(envName).matches()) {
        return true;
      }
    }
    return false;
  }

  static final Map<String, List<Pattern>> KEYS = new HashMap<>();

  /**
   * Env-var name patterns of the keys a service reads (Quarkus: non-alphanumerics to _, upper
   * case).
   */
  static synchronized List<Pattern> readKeys(String service) throws IOException {
    if (KEYS.containsKey(service)) {
      return KEYS.get(service);
    }
    Set<String> keys = new TreeSet<>(FRAMEWORK_KEYS);
    Set<String> envNames = new TreeSet<>();
    Path module = ROOT.resolve(service);
    for (String line :
        Files.readAllLines(module.resolve("src/main/resources/application.properties"))) {
      String trimmed = line.trim();
      if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("%")) {
        continue; // profile keys (%test., %dev.) are not read in production
      }
      int eq = trimmed.indexOf('=');
      keys.add(trimmed.substring(0, eq));
      Matcher ref =
          Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]").matcher(trimmed.substring(eq + 1));
      while (ref.find()) {
        envNames.add(ref.group(1));
      }
    }
    try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        keys.addAll(ConfigMappingKeys.of(Files.readString(file)));
      }
    }
    assertTrue(keys.size() > FRAMEWORK_KEYS.size() + 5, service + " keys found: " + keys);
    List<Pattern> patterns = new ArrayList<>();
    for (String key : keys) {
      StringBuilder regex = new StringBuilder();
      String[] parts = key.split("\\*", -1);
      for (int i = 0; i < parts.length; i++) {
        if (i > 0) {
          regex.append("[A-Z0-9_]+?");
        }
        regex.append(Pattern.quote(parts[i].replaceAll("[^A-Za-z0-9]", "_").toUpperCase()));
      }
      patterns.add(Pattern.compile(regex.toString()));
    }
    envNames.forEach(e -> patterns.add(Pattern.compile(Pattern.quote(e))));
    KEYS.put(service, patterns);
    return patterns;
  }

  /**
   * The property names of the {@code @ConfigMapping} interfaces in one source file, read from the
   * source (the services' classes are not on this module's classpath): nested interfaces expand, a
   * {@code Map<String, X>} member is one {@code *} segment, {@code @WithName} renames.
   */
  static final class ConfigMappingKeys {
    record Member(String name, String type) {}

    static final Pattern MAPPING = Pattern.compile("@ConfigMapping\\(prefix = \"([^\"]+)\"\\)");
    static final Pattern INTERFACE = Pattern.compile("^\\s*(?:public\\s+)?interface\\s+(\\w+)");
    static final Pattern METHOD = Pattern.compile("^\\s*([\\w.<>, ?]+?)\\s+(\\w+)\\(\\);");
    static final Pattern WITH_NAME = Pattern.compile("@WithName\\(\"([^\"]+)\"\\)");

    static List<String> of(String source) {
      Matcher mapping = MAPPING.matcher(source);
      if (!mapping.find()) {
        return List.of();
      }
      Map<String, List<Member>> interfaces = new LinkedHashMap<>();
      List<String> stack = new ArrayList<>();
      List<Integer> depths = new ArrayList<>();
      String root = null;
      String rename = null;
      int depth = 0;
      for (String line : source.split("\n")) {
        String trimmed = line.trim();
        if (trimmed.startsWith("*") || trimmed.startsWith("/")) {
          continue;
        }
        Matcher iface = INTERFACE.matcher(line);
        if (iface.find()) {
          stack.add(iface.group(1));
          depths.add(depth);
          interfaces.putIfAbsent(iface.group(1), new ArrayList<>());
          if (root == null) {
            root = iface.group(1);
          }
        }
        Matcher withName = WITH_NAME.matcher(line);
        if (withName.find()) {
          rename = withName.group(1);
        }
        Matcher method = METHOD.matcher(line);
        if (method.find() && !stack.isEmpty() && !trimmed.startsWith("return")) {
          String name = rename != null ? rename : kebab(method.group(2));
          interfaces.get(stack.get(stack.size() - 1)).add(new Member(name, method.group(1)));
          rename = null;
        }
        for (char c : line.toCharArray()) {
          if (c == '{') {
            depth++;
          } else if (c == '}') {
            depth--;
            if (!depths.isEmpty() && depth == depths.get(depths.size() - 1)) {
              stack.remove(stack.size() - 1);
              depths.remove(depths.size() - 1);
            }
          }
        }
      }
      List<String> keys = new ArrayList<>();
      expand(interfaces, root, mapping.group(1), keys, 0);
      return keys;
    }

    static void expand(
        Map<String, List<Member>> interfaces,
        String iface,
        String prefix,
        List<String> keys,
        int level) {
      if (level > 8) {
        throw new IllegalStateException("config interfaces nest too deep at " + prefix);
      }
      for (Member member : interfaces.get(iface)) {
        String type = member.type().replaceAll("\\s", "");
        String key = prefix + "." + member.name();
        Matcher map = Pattern.compile("^Map<String,([\\w.]+)>$").matcher(type);
        Matcher optional = Pattern.compile("^Optional<([\\w.]+)>$").matcher(type);
        String simple = type.substring(type.lastIndexOf('.') + 1);
        if (map.find()) {
          String value = map.group(1).substring(map.group(1).lastIndexOf('.') + 1);
          if (interfaces.containsKey(value)) {
            expand(interfaces, value, key + ".*", keys, level + 1);
          } else {
            keys.add(key + ".*");
          }
        } else if (optional.find() && interfaces.containsKey(optional.group(1))) {
          expand(interfaces, optional.group(1), key, keys, level + 1);
        } else if (interfaces.containsKey(simple)) {
          expand(interfaces, simple, key, keys, level + 1);
        } else {
          keys.add(key);
        }
      }
    }

    static String kebab(String camel) {
      return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }
  }

  // --- systemd --------------------------------------------------------------------------------

  @Test
  void systemdUnitsVerifyAndReadTheirEnvFile(@TempDir Path dir) throws Exception {
    Path analyze = Path.of("/usr/bin/systemd-analyze");
    assertTrue(Files.isExecutable(analyze), "systemd-analyze missing: scripts/setup.sh --tests");
    List<String> command = new ArrayList<>(List.of(analyze.toString(), "verify", "--man=no"));
    for (String service : SERVICES) {
      Path unit = LOCAL.resolve("chainsnap-" + service + ".service");
      String text = Files.readString(unit);
      assertTrue(
          text.contains("\nEnvironmentFile=/etc/chainsnap/" + service + ".env\n"), unit.toString());
      assertTrue(text.contains("\nRestart=on-failure\n"), unit.toString());
      assertTrue(text.contains("/opt/chainsnap/" + service + "/quarkus-run.jar"), unit.toString());
      for (String hardening :
          List.of(
              "NoNewPrivileges=yes",
              "ProtectSystem=strict",
              "PrivateTmp=yes",
              "CapabilityBoundingSet=")) {
        assertTrue(text.contains("\n" + hardening + "\n"), unit + ": " + hardening);
      }
      Path copy = dir.resolve(unit.getFileName());
      Files.copy(unit, copy);
      command.add(copy.toString());
    }
    // verify exits 0 on unknown keys and bad values too, but names the file and line: no output at
    // all
    Run run = run(command, null);
    assertEquals(0, run.exit(), run.output());
    assertEquals("", run.output().trim(), "systemd-analyze verify says nothing");
  }

  @Test
  void systemdVerifyCatchesAMistypedKey(@TempDir Path dir) throws Exception {
    String unit =
        Files.readString(LOCAL.resolve("chainsnap-verifier.service"))
            .replace("ProtectHome=yes", "ProtectHom=yes");
    Path bad = dir.resolve("chainsnap-bad.service");
    Files.writeString(bad, unit);
    Run run = run(List.of("/usr/bin/systemd-analyze", "verify", "--man=no", bad.toString()), null);
    assertTrue(run.output().contains("Unknown key 'ProtectHom'"), run.output());
  }

  // --- helpers --------------------------------------------------------------------------------

  static JsonNode podSpec(JsonNode object) {
    return switch (object.path("kind").asText()) {
      case "Deployment", "StatefulSet" -> object.path("spec").path("template").path("spec");
      case "CronJob" ->
          object.path("spec").path("jobTemplate").path("spec").path("template").path("spec");
      default -> JSON.createObjectNode();
    };
  }

  /** The containers running a chainsnap service, by service name. */
  static Map<String, JsonNode> chainsnapContainers(List<JsonNode> objects) {
    Map<String, JsonNode> containers = new HashMap<>();
    for (JsonNode object : objects) {
      for (JsonNode container : podSpec(object).path("containers")) {
        if (SERVICES.contains(container.path("name").asText())) {
          containers.put(container.path("name").asText(), container);
        }
      }
    }
    return containers;
  }

  static JsonNode envEntry(JsonNode container, String name) {
    for (JsonNode env : container.path("env")) {
      if (env.path("name").asText().equals(name)) {
        return env;
      }
    }
    throw new AssertionError(container.path("name").asText() + " sets no " + name);
  }

  static String envValue(JsonNode container, String name) {
    return envEntry(container, name).path("value").asText();
  }

  static String targetName(JsonNode snapshotter) {
    for (JsonNode env : snapshotter.path("env")) {
      Matcher m =
          Pattern.compile("SNAPSHOTTER_TARGETS_([A-Z0-9]+)_CHAIN")
              .matcher(env.path("name").asText());
      if (m.matches()) {
        return m.group(1).toLowerCase();
      }
    }
    throw new AssertionError("no target");
  }

  /** Mount paths of the secret volumes of a workload. */
  static List<String> mountedSecrets(JsonNode workload) {
    JsonNode spec = podSpec(workload);
    Set<String> secretVolumes = new TreeSet<>();
    spec.path("volumes")
        .forEach(
            v -> {
              if (v.has("secret")) {
                secretVolumes.add(v.path("name").asText());
              }
            });
    List<String> paths = new ArrayList<>();
    for (JsonNode container : spec.path("containers")) {
      for (JsonNode mount : container.path("volumeMounts")) {
        if (secretVolumes.contains(mount.path("name").asText())) {
          paths.add(mount.path("mountPath").asText() + "/");
        }
      }
    }
    return paths;
  }
}
