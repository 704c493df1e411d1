#!/usr/bin/env bash
# Builds cli/target/chainsnap.jsa, a class-data sharing (AppCDS) archive of the chainsnap command,
# during `mvn package` (cli/pom.xml runs it after the shaded jar is made).
#
# Why: every chainsnap run starts a JVM that loads, parses and verifies about 3,500 classes (JDK,
# Jackson, AWS SDK, ours) before any work starts. That start-up runs on one core while the other
# waits, and it is paid again by each run. With the archive those classes are mapped ready-made:
# `chainsnap create` of an empty directory takes about 0.7 s instead of 1.0 s, with 40% less CPU.
#
# How: short training runs of create, verify and restore on a small generated tree record the
# classes they load (-XX:DumpLoadedClassList); the union goes into a static archive (-Xshare:dump).
# The archive is only valid for this JVM build and this jar at this absolute path: bin/chainsnap
# passes it when it sits next to the jar, and the JVM silently runs without it if anything differs
# (a rebuilt jar, another java). Set CHAINSNAP_CDS=off to run without it.
#
# Usage: cds.sh JAVA JAR OUT_JSA WORK_DIR
# Never fails the build: the archive only speeds up start-up. If a step fails, it says so on
# stderr, leaves no archive, and exits 0 (cli/src/test/.../LauncherIT checks the archive is there
# and accepted by the JVM).
set -euo pipefail

java="$1"
jar="$(cd -P "$(dirname "$2")" && pwd)/$(basename "$2")"
out="$3"
work="$4"

rm -rf "$work"
rm -f "$out" # a stale archive would not match the new jar anyway
mkdir -p "$work/source/blocks/index" "$work/source/chainstate"
# a tree with the shapes the commands meet: several chunks, big and small files, nested
# directories, compressible and random bytes
head -c 3000000 /dev/urandom >"$work/source/blocks/blk00000.dat"
for i in $(seq 1 40); do
  printf 'key-%06d value %s\n' $(seq $((i * 1000)) $((i * 1000 + 400))) >"$work/source/chainstate/$(printf '%06d' "$i").ldb"
done
head -c 20000 /dev/urandom >"$work/source/blocks/index/000001.ldb"
echo "MANIFEST-000001" >"$work/source/chainstate/CURRENT"

# the same options as bin/chainsnap, so that the archive matches the runs it serves
opts=(--add-opens java.base/sun.security.provider=ALL-UNNAMED
  --add-opens java.base/java.security=ALL-UNNAMED
  -XX:+UseParallelGC
  -XX:ErrorFile="$work/hs_err_%p.log")

run() { # name args...
  local name="$1"
  shift
  "$java" -XX:DumpLoadedClassList="$work/$name.classlist" "${opts[@]}" -jar "$jar" "$@" >"$work/$name.out" 2>&1 || {
    echo "cds.sh: warning: training run '$name' failed, no class-data sharing archive:" >&2
    cat "$work/$name.out" >&2
    exit 0
  }
}

run create create --source "$work/source" --out "$work/archive" --chunk-size 1M --quiet
run verify verify --manifest "$work/archive/snapshot.json" "$work/archive/snapshot.tar.zst" --quiet
run restore restore --manifest "$work/archive/snapshot.json" --dest "$work/restored" --quiet
run info info --manifest "$work/archive/snapshot.json" --json
run help --help

# the union, each line once in first-seen order (a repeated @lambda-proxy line crashes the dump)
awk '!seen[$0]++' "$work"/*.classlist >"$work/all.classlist"
"$java" -Xshare:dump -XX:SharedClassListFile="$work/all.classlist" -XX:SharedArchiveFile="$out" \
  "${opts[@]}" -cp "$jar" >"$work/dump.out" 2>&1 || {
  echo "cds.sh: warning: -Xshare:dump failed, no class-data sharing archive:" >&2
  grep -v 'Preload Warning\|Skipping' "$work/dump.out" | head -40 >&2
  rm -f "$out"
  exit 0
}
classes=$(grep -c -v '^@\|^#' "$work/all.classlist" || true)
echo "cds.sh: $out: $(du -k "$out" | cut -f1) KiB, from $classes class-list lines"
