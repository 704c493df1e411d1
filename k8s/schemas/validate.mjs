// Validates Kubernetes objects against the OpenAPI schemas compiled into the npm packages
// kubernetes-models (Kubernetes API) and @kubernetes-models/prometheus-operator (ServiceMonitor,
// PrometheusRule, ...). Input on stdin: a JSON array of objects. Output: one JSON line per object,
// {kind, name, status: "valid" | "invalid" | "no-schema", errors}. Exit 0 unless an object is
// invalid; objects whose kind neither package models are reported "no-schema" (the caller decides).
import { readFileSync } from "node:fs";

const objects = JSON.parse(readFileSync(0, "utf8"));
let invalid = 0;
for (const object of objects) {
  const { apiVersion, kind } = object;
  const name = object.metadata?.name;
  const base = apiVersion.startsWith("monitoring.coreos.com/")
    ? `@kubernetes-models/prometheus-operator/${apiVersion}`
    : `kubernetes-models/${apiVersion}`;
  let Model;
  try {
    Model = (await import(`${base}/${kind}`))[kind];
  } catch (e) {
    if (e.code !== "ERR_MODULE_NOT_FOUND" && e.code !== "ERR_PACKAGE_PATH_NOT_EXPORTED") throw e;
  }
  if (!Model) {
    console.log(JSON.stringify({ apiVersion, kind, name, status: "no-schema" }));
    continue;
  }
  try {
    new Model(object).validate();
    console.log(JSON.stringify({ apiVersion, kind, name, status: "valid" }));
  } catch (e) {
    invalid++;
    console.log(JSON.stringify({ apiVersion, kind, name, status: "invalid", errors: e.errors ?? String(e) }));
  }
}
process.exit(invalid === 0 ? 0 : 1);
