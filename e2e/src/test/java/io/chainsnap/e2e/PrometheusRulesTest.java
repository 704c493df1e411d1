package io.chainsnap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainsnap.testsupport.Components;
import io.chainsnap.testsupport.PrometheusServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alerting rules and the Grafana dashboard in {@code deploy/}, checked with Debian's {@code
 * promtool}: the rules parse ({@code check rules}) and behave as their unit tests say ({@code test
 * rules}); every dashboard query is valid PromQL and every alert has a row in the runbook. That
 * each metric they name exists is checked against a real Prometheus scraping the real services, in
 * {@link LocalScriptsIT}.
 */
class PrometheusRulesTest {
  static final Path DEPLOY = Components.projectDir().resolve("deploy");
  static final Path DASHBOARD = DEPLOY.resolve("grafana/chainsnap-dashboard.json");
  static final Pattern METRIC = Pattern.compile("\\b(chainsnap_[a-z0-9_]+|up)\\b(?!\\s*\\()");

  record Run(int exit, String output) {}

  static Run promtool(List<String> args) throws Exception {
    Path promtool = Path.of("/usr/bin/promtool");
    assertTrue(
        Files.isExecutable(promtool), "promtool missing: scripts/setup.sh (package prometheus)");
    List<String> command = new ArrayList<>(List.of(promtool.toString()));
    command.addAll(args);
    Process process =
        new ProcessBuilder(command)
            .directory(Components.projectDir().toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes());
    assertTrue(process.waitFor(2, TimeUnit.MINUTES), "promtool finished");
    return new Run(process.exitValue(), output);
  }

  /** Every PromQL expression of the dashboard, its template variables replaced by a match-all. */
  static List<String> dashboardQueries() throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    List<String> queries = new ArrayList<>();
    dashboard.findValues("expr").forEach(e -> queries.add(e.asText()));
    return queries.stream()
        .map(q -> q.replace("$chain", ".*").replace("$network", ".*").replace("$target", ".*"))
        .toList();
  }

  /** The metric names the rules and the dashboard read. */
  static Set<String> metricsRead() throws IOException {
    Set<String> names = new TreeSet<>();
    List<String> texts = new ArrayList<>(dashboardQueries());
    for (Path rules : PrometheusServer.ruleFiles()) {
      boolean inExpr = false; // an expr: value, on its line or folded over the next ones
      for (String line : Files.readAllLines(rules)) {
        String trimmed = line.trim();
        if (trimmed.startsWith("expr:")) {
          inExpr = true;
        } else if (trimmed.matches("^(- )?[a-z_]+:.*")) {
          inExpr = false;
        }
        if (inExpr) {
          texts.add(trimmed);
        }
      }
    }
    for (String text : texts) {
      Matcher m = METRIC.matcher(text);
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  @Test
  void rulesPassPromtoolCheck() throws Exception {
    List<String> args = new ArrayList<>(List.of("check", "rules"));
    PrometheusServer.ruleFiles().forEach(f -> args.add(f.toString()));
    Run run = promtool(args);
    assertEquals(0, run.exit(), run.output());
    assertTrue(run.output().contains("SUCCESS"), run.output());
  }

  @Test
  void rulesPassTheirUnitTests() throws Exception {
    Run run =
        promtool(List.of("test", "rules", "deploy/prometheus/tests/chainsnap.rules.test.yml"));
    assertEquals(0, run.exit(), run.output());
    assertTrue(run.output().contains("SUCCESS"), run.output());
  }

  @Test
  void everyDashboardQueryIsValidPromQl(@TempDir Path dir) throws Exception {
    List<String> queries = dashboardQueries();
    assertTrue(queries.size() >= 10, "the dashboard has its panels: " + queries);
    // promtool parses expressions of recording rules: one rule per dashboard query
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    for (int i = 0; i < queries.size(); i++) {
      rules
          .append("      - record: dashboard_query_")
          .append(i)
          .append("\n        expr: '")
          .append(queries.get(i).replace("'", "''"))
          .append("'\n");
    }
    Path file = dir.resolve("dashboard-queries.yml");
    Files.writeString(file, rules.toString());
    Run run = promtool(List.of("check", "rules", file.toString()));
    assertEquals(0, run.exit(), run.output() + "\n" + rules);
  }

  @Test
  void everyAlertHasARunbookRow() throws Exception {
    String runbook = Files.readString(Components.projectDir().resolve("docs/runbook.md"));
    List<String> missing = new ArrayList<>();
    for (Path rules : PrometheusServer.ruleFiles()) {
      for (String line : Files.readAllLines(rules)) {
        String trimmed = line.trim();
        if (trimmed.startsWith("- alert:")) {
          String alert = trimmed.substring("- alert:".length()).trim();
          if (!runbook.contains("| `" + alert + "`")) {
            missing.add(alert);
          }
        }
      }
    }
    assertEquals(List.of(), missing, "alerts without a row in docs/runbook.md");
  }
}
