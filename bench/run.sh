#!/usr/bin/env bash
# chainsnap benchmarks: create and restore against the standard tools, peak RSS scaling, node
# downtime. See bench/README.md. Exits non-zero only on a broken run, never on a slow one.
#
#   bench/run.sh [archive|params|downtime|upload|all] [options]
#     archive (default)  create + restore at --size, baseline and candidate alternated --reps times
#     params             zstd -3 vs zstd -3 with chainsnap's default parameters, one thread: CPU and
#                        size on the corpus, a litecoind chain of signed transactions, and the JDK
#     downtime           node downtime per snapshot, quiesce=stop vs pause-checkpoint (Java main)
#     upload             publisher upload of a --size archive (default 2G) to s3proxy vs /usr/bin/aws
#                        s3 cp of the same file, alternated --reps times; throughput, ratio, peak RSS
#     all                archive, params, then --rss-scaling, then downtime, then upload
#   options:
#     --size SIZE        corpus size (default 2G; K/M/G suffixes are binary)
#     --reps N           timed repetitions per variant (default 3)
#     --quick            smoke run: --size 200M --reps 1, downtime with 2 snapshots per strategy
#     --rss-scaling      only: create+restore once at 2G and at 8G, print both peak RSS figures
#     --scaling-sizes "A B"  sizes for --rss-scaling (default "2G 8G")
#     --connections N    chainsnap restore connections (default 4)
#     --seed N           corpus seed (default 42)
#     --cold             drop the page cache before every timed run (needs root; said if it fails)
#     --restore-warm     restore runs keep the kernel's caches (default: before each restore run the
#                        caches are dropped and the served archive read back in: see bench/README.md)
#     --keep             keep the work directory (archives, restored trees)
#     --snapshots N      downtime: snapshots per strategy (default 3)
#     --txs N            params: transactions in the litecoind chain (default 40000, ~5 min once)
#
# Run Maven and this script under the shared lock on shared machines:
#   flock /tmp/chainsnap-mvn.lock bench/run.sh
set -euo pipefail

# The usage is the comment block at the top of this file: every line from the second up to the
# first line that is not a comment.
usage() {
  awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"
}

BENCH_DIR="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
STATE="$ROOT/.stack/bench"

MODE=archive
SIZE=2G
REPS=3
QUICK=0
SCALING=0
SCALING_SIZES="2G 8G"
CONNECTIONS=4
SEED=42
COLD=0
RESTORE_FRESH=1
KEEP=0
SNAPSHOTS=3
TXS=40000
SIZE_SET=0
REPS_SET=0

while [ $# -gt 0 ]; do
  case "$1" in
    archive|params|downtime|upload|all) MODE="$1" ;;
    --size) SIZE="$2"; SIZE_SET=1; shift ;;
    --reps) REPS="$2"; REPS_SET=1; shift ;;
    --quick) QUICK=1 ;;
    --rss-scaling) SCALING=1 ;;
    --scaling-sizes) SCALING_SIZES="$2"; shift ;;
    --connections) CONNECTIONS="$2"; shift ;;
    --seed) SEED="$2"; shift ;;
    --cold) COLD=1 ;;
    --restore-warm) RESTORE_FRESH=0 ;;
    --keep) KEEP=1 ;;
    --snapshots) SNAPSHOTS="$2"; shift ;;
    --txs) TXS="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 64 ;;
  esac
  shift
done
if [ "$QUICK" = 1 ]; then
  [ "$SIZE_SET" = 1 ] || SIZE=200M
  [ "$REPS_SET" = 1 ] || REPS=1
  SNAPSHOTS=2
fi

log() { printf '%s\n' "$*"; }
die() { printf 'BROKEN RUN: %s\n' "$*" >&2; exit 2; }

# --- tools -------------------------------------------------------------------------------------
ensure_tools() {
  local missing=()
  [ -x /usr/bin/time ] || missing+=(time)
  command -v zstd >/dev/null || missing+=(zstd)
  command -v curl >/dev/null || missing+=(curl)
  command -v python3 >/dev/null || missing+=(python3)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]} (Debian packages)"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
      || die "cannot install ${missing[*]}"
  fi
  command -v java >/dev/null || die "java (17) is missing"
}

ensure_built() {
  local stale=0 entry
  if [ -f "$BENCH_DIR/target/bench.classpath" ]; then
    # the classpath names the sibling modules' jars: rebuild if one is gone (mvn clean elsewhere)
    for entry in $(tr ':' ' ' <"$BENCH_DIR/target/bench.classpath"); do [ -e "$entry" ] || stale=1; done
  fi
  [ -f "$ROOT/cli/target/chainsnap.jar" ] || stale=1
  [ -f "$ROOT/publisher/target/quarkus-app/quarkus-run.jar" ] || stale=1
  if [ "$stale" = 1 ] || [ ! -f "$BENCH_DIR/target/bench.classpath" ] || [ ! -d "$BENCH_DIR/target/classes/io/chainsnap/bench" ]; then
    log "building the bench module and the chainsnap command (the caller is expected to hold /tmp/chainsnap-mvn.lock)"
    (cd "$ROOT" && ./mvnw -B -q -o -pl bench,cli -am install -DskipTests) \
      || (cd "$ROOT" && ./mvnw -B -q -pl bench,cli -am install -DskipTests) \
      || die "cannot build the bench module and the CLI"
  fi
  CP="$BENCH_DIR/target/classes:$(cat "$BENCH_DIR/target/bench.classpath")"
  export CP
}

# --- machine ------------------------------------------------------------------------------------
machine() {
  log "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM, $(uname -sr)"
  log "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  log "tools: $(java -version 2>&1 | head -1); $(zstd --version); $(tar --version | head -1); $(curl --version | head -1 | cut -d' ' -f1-2)"
}

DROP_OK=unknown
drop_caches() {
  sync
  if [ "$COLD" = 1 ]; then
    if echo 3 > /proc/sys/vm/drop_caches 2>/dev/null; then DROP_OK=yes; else DROP_OK=no; fi
  fi
}

probe_drop_caches() {
  if [ "$COLD" = 1 ]; then
    drop_caches
    log "page cache: dropped before every timed run (drop_caches works: $DROP_OK)"
    [ "$DROP_OK" = yes ] || log "  drop_caches is not writable here: runs are warm after all"
  else
    log "page cache: warm (the corpus, archive and trees fit in RAM; --cold drops it before every run)"
  fi
}

# --- corpus -------------------------------------------------------------------------------------
bytes_of() { python3 -c "
import sys
s=sys.argv[1].strip().upper().replace('IB','').replace('B','')
u={'K':1<<10,'M':1<<20,'G':1<<30,'T':1<<40}.get(s[-1:],1)
print(round(float(s[:-1] if u>1 else s)*u))" "$1"; }

CORPUS=""
ensure_corpus() { # size
  local bytes name marker
  bytes=$(bytes_of "$1")
  name="corpus-${bytes}-seed${SEED}-v1"
  CORPUS="$STATE/$name"
  marker="$STATE/$name.complete"
  if [ -f "$marker" ] && [ -d "$CORPUS" ]; then
    log "corpus: reusing $CORPUS ($(cat "$marker"))"
    return
  fi
  rm -f "$marker"
  mkdir -p "$STATE"
  log "corpus: generating $1 ($bytes bytes, seed $SEED) into $CORPUS"
  java -cp "$CP" io.chainsnap.bench.CorpusGenerator --dir "$CORPUS" --size "$bytes" --seed "$SEED" \
    | tee "$marker.tmp" || die "corpus generation failed"
  mv "$marker.tmp" "$marker"
}

# --- timing -------------------------------------------------------------------------------------
RESULTS=""
# Before a restore run: drop the kernel's caches, then read the served archive back in. Writing
# thousands of files right after deleting thousands (the previous run's tree) is slow on ext4 while
# the deleted inodes' table blocks are cached: the allocator skips inodes deleted in the last
# minute, checking each in the buffer cache (seen in perf as find_get_block_common and
# recently_deleted, up to half of a restore's CPU, varying from run to run). Dropping the caches
# makes every variant write onto a file system in the state of a fresh machine.
RESTORE_DROP=unknown
fresh_caches() {
  sync
  if echo 3 > /proc/sys/vm/drop_caches 2>/dev/null; then RESTORE_DROP=yes; else RESTORE_DROP=no; fi
  cat "$WORK/served/snapshot.tar.zst" "$WORK/served/snapshot.json" >/dev/null
  # and the programs of both sides, so that neither starts from a cold disk
  local java_home
  java_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  cat "$ROOT/cli/target/chainsnap.jar" "$java_home/lib/modules" "$java_home/lib/server/libjvm.so" >/dev/null 2>&1 || true
  "$CLI" --version >/dev/null 2>&1 || true
  { curl --version; tar --version; zstd --version; sha256sum --version; } >/dev/null 2>&1 || true
}

# run_timed PHASE VARIANT REP -- command...   (REP 0 = warm-up, recorded but not summarised)
run_timed() {
  local phase="$1" variant="$2" rep="$3"; shift 4
  local tv="$WORK/time.$$" t0 t1 status=0
  drop_caches
  if [ "$phase" = restore ] && [ "$RESTORE_FRESH" = 1 ] && [ "$COLD" = 0 ]; then fresh_caches; fi
  t0=$(date +%s%N)
  /usr/bin/time -v -o "$tv" "$@" >"$WORK/last.out" 2>"$WORK/last.err" || status=$?
  t1=$(date +%s%N)
  if [ "$status" != 0 ]; then
    cat "$WORK/last.out" "$WORK/last.err" "$tv" >&2 || true
    die "$phase/$variant (rep $rep) exited with status $status: $*"
  fi
  local rss user sys
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tv")
  user=$(awk -F': ' '/User time/ {print $2}' "$tv")
  sys=$(awk -F': ' '/System time/ {print $2}' "$tv")
  local wall
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", (b-a)/1e9}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$phase" "$variant" "$rep" "$wall" "$rss" "$user" "$sys" \
    "$(cut -d' ' -f1 /proc/loadavg)" >>"$RESULTS"
  printf '  %-8s %-24s rep %s: %7.2f s  cpu %6.2f s  rss %5d MiB\n' "$phase" "$variant" "$rep" "$wall" \
    "$(awk -v u="$user" -v s="$sys" 'BEGIN {print u+s}')" "$((rss / 1024))"
}

note() { printf '%s\t%s\n' "$1" "$2" >>"$NOTES"; }

# --- create -------------------------------------------------------------------------------------
# the candidate is the operators' command, as they run it (bin/chainsnap -> cli/target/chainsnap.jar)
CLI="${CHAINSNAP_CLI:-$ROOT/bin/chainsnap}"
ours_create() { # src out [extra]
  local src="$1" out="$2"; shift 2
  "$CLI" create --source "$src" --out "$out" --quiet "$@"
}
ours_restore() { # manifest-url dest [extra]
  local url="$1" dest="$2"; shift 2
  "$CLI" restore --manifest "$url" --dest "$dest" --connections "$CONNECTIONS" --quiet "$@"
}
export -f ours_create ours_restore
export CLI CONNECTIONS

baseline_create() { tar -C "$1" -cf - . | zstd -q -T0 -3 >"$2"; }
baseline_create_sync() { tar -C "$1" -cf - . | zstd -q -T0 -3 >"$2" && sync "$2"; }
# the same output as chainsnap's minus the chunk index: the archive and its SHA-256
baseline_create_sha() { tar -C "$1" -cf - . | zstd -q -T0 -3 | tee "$2" | sha256sum >"$2.sha256"; }
export -f baseline_create baseline_create_sync baseline_create_sha

create_variant() { # variant rep
  local out="$WORK/create"
  rm -rf "$out"; mkdir -p "$out"
  case "$1" in
    tar-zstd) run_timed create tar-zstd "$2" -- bash -c 'set -o pipefail; baseline_create "$1" "$2"' _ "$CORPUS" "$out/base.tar.zst" ;;
    tar-zstd+sync) run_timed create tar-zstd+sync "$2" -- bash -c 'set -o pipefail; baseline_create_sync "$1" "$2"' _ "$CORPUS" "$out/base.tar.zst" ;;
    tar-zstd+sha256) run_timed create tar-zstd+sha256 "$2" -- bash -c 'set -o pipefail; baseline_create_sha "$1" "$2"' _ "$CORPUS" "$out/base.tar.zst" ;;
    chainsnap) run_timed create chainsnap "$2" -- bash -c 'ours_create "$1" "$2"' _ "$CORPUS" "$out/ours" ;;
    # the same with plain level 3 instead of the default parameters: what the parameters buy
    chainsnap-level3) run_timed create chainsnap-level3 "$2" -- bash -c 'ours_create "$1" "$2" --level 3' _ "$CORPUS" "$out/ours" ;;
  esac
  if [ "$2" = 0 ]; then
    # sizes and a correctness check once per variant
    case "$1" in
      tar-zstd) note base_compressed "$(stat -c %s "$out/base.tar.zst")"
        zstd -q -t "$out/base.tar.zst" || die "baseline archive does not decompress" ;;
      chainsnap-level3) note level3_compressed "$(stat -c %s "$out/ours/snapshot.tar.zst")" ;;
      chainsnap)
        note ours_compressed "$(stat -c %s "$out/ours/snapshot.tar.zst")"
        python3 - "$out/ours/snapshot.json" >>"$NOTES" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))["archive"]
print("tar_size\t%d" % m["tarSize"]); print("content_size\t%d" % m["contentSize"])
print("file_count\t%d" % m["fileCount"]); print("chunks\t%d" % len(m["chunks"]))
EOF
        # interoperability: plain zstd reads it
        zstd -q -t "$out/ours/snapshot.tar.zst" || die "chainsnap archive is not a valid zstd stream"
        rm -rf "$WORK/served"; mkdir -p "$WORK/served"
        cp "$out/ours/snapshot.tar.zst" "$out/ours/snapshot.json" "$WORK/served/" ;;
    esac
  fi
  rm -rf "$out"
}

bench_create() {
  log ""
  log "== create: chainsnap vs tar -cf - | zstd -T0 -3 (also + sync, + sha256sum; chainsnap --level 3) ($REPS reps after a warm-up) =="
  log "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  # warm-up: page cache and disk, and each variant once (sizes, validity)
  tar -C "$CORPUS" -cf - . | cat >/dev/null
  for v in tar-zstd tar-zstd+sync tar-zstd+sha256 chainsnap-level3 chainsnap; do create_variant "$v" 0; done
  for ((r = 1; r <= REPS; r++)); do
    if ((r % 2)); then order="tar-zstd chainsnap tar-zstd+sync chainsnap-level3 tar-zstd+sha256"; else order="tar-zstd+sha256 chainsnap-level3 chainsnap tar-zstd+sync tar-zstd"; fi
    for v in $order; do create_variant "$v" "$r"; done
  done
  log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# --- restore ------------------------------------------------------------------------------------
SERVER_PID=""
PORT=""
start_server() {
  rm -f "$WORK/port"
  java -cp "$CP" io.chainsnap.bench.RangeServer --root "$WORK/served" --port-file "$WORK/port" \
    >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do [ -s "$WORK/port" ] && break; sleep 0.1; done
  [ -s "$WORK/port" ] || die "range server did not start: $(cat "$WORK/server.log")"
  PORT=$(cat "$WORK/port")
  URL="http://127.0.0.1:$PORT/snapshot.tar.zst"
  MANIFEST_URL="http://127.0.0.1:$PORT/snapshot.json"
  # check ranges work before trusting it
  [ "$(curl -sf -r 0-3 "$URL" | wc -c)" = 4 ] || die "range server does not answer ranges"
}
stop_server() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; fi
}

baseline_download() { # url sha dl dest
  curl -sf -o "$3" "$1" && echo "$2  $3" | sha256sum -c --quiet - && tar --zstd -xf "$3" -C "$4"
}
baseline_stream() { curl -sf "$1" | tar --zstd -xf - -C "$2"; }
# durable like chainsnap's restore, which syncs the file system before it reports success
baseline_stream_sync() { curl -sf "$1" | tar --zstd -xf - -C "$2" && sync -f "$2"; }
export -f baseline_download baseline_stream baseline_stream_sync

# samples the restore's own files in DEST (journal, created-files log) until STOP exists
sample_extra() { # dest stopfile outfile
  local peak=0 s
  while [ ! -e "$2" ]; do
    s=$(find "$1" -maxdepth 1 -name '.chainsnap-restore*' -printf '%s\n' 2>/dev/null | awk '{t += $1} END {print t + 0}')
    [ "$s" -gt "$peak" ] && peak=$s
    sleep 0.1
  done
  echo "$peak" >"$3"
}

check_tree() { # dest  (once per variant: same files and bytes as the corpus)
  diff -rq "$CORPUS" "$1" >"$WORK/diff.txt" 2>&1 || { head -20 "$WORK/diff.txt" >&2; die "restored tree differs from the corpus ($1)"; }
}

restore_variant() { # variant rep
  local dest="$WORK/restore" dl="$WORK/download"
  rm -rf "$dest" "$dl"; mkdir -p "$dest" "$dl"
  case "$1" in
    curl-sha-tar)
      run_timed restore curl-sha-tar "$2" -- bash -c 'set -o pipefail; baseline_download "$@"' _ "$URL" "$SHA" "$dl/snapshot.tar.zst" "$dest"
      [ "$2" = 0 ] && note base_download_bytes "$(stat -c %s "$dl/snapshot.tar.zst")" ;;
    curl-pipe-tar)
      run_timed restore curl-pipe-tar "$2" -- bash -c 'set -o pipefail; baseline_stream "$@"' _ "$URL" "$dest" ;;
    curl-pipe-tar+sync)
      run_timed restore curl-pipe-tar+sync "$2" -- bash -c 'set -o pipefail; baseline_stream_sync "$@"' _ "$URL" "$dest" ;;
    chainsnap)
      rm -f "$WORK/stop" "$WORK/extra"
      sample_extra "$dest" "$WORK/stop" "$WORK/extra" &
      local sampler=$!
      run_timed restore "$1" "$2" -- bash -c 'ours_restore "$@"' _ "$MANIFEST_URL" "$dest"
      touch "$WORK/stop"; wait "$sampler" || true
      note "extra_peak_$1_$2" "$(cat "$WORK/extra")"
      local left
      left=$(find "$dest" -maxdepth 1 -name '.chainsnap-restore*' | wc -l)
      [ "$left" = 0 ] || die "$1 left $left marker/journal files in the destination after success" ;;
  esac
  if [ "$2" = 0 ]; then
    check_tree "$dest"
    note "after_bytes_$1" "$(du -sb "$dest" | cut -f1)"
  fi
  rm -rf "$dest" "$dl"
}

bench_restore() {
  log ""
  log "== restore from a local HTTP server (ranges, sendfile): chainsnap ($CONNECTIONS connections) vs curl+sha256sum+tar, curl|tar and curl|tar+sync ($REPS reps after a warm-up) =="
  log "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  [ -f "$WORK/served/snapshot.tar.zst" ] || die "no archive to serve (the create phase did not run)"
  SHA=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["archive"]["sha256"])' "$WORK/served/snapshot.json")
  note corpus_bytes "$(du -sb "$CORPUS" | cut -f1)"
  start_server
  log "serving $WORK/served on port $PORT"
  if [ "$RESTORE_FRESH" = 1 ]; then
    fresh_caches
    log "before every restore run: caches dropped (works: $RESTORE_DROP), served archive read back in (--restore-warm: keep them)"
  fi
  local variants="curl-sha-tar curl-pipe-tar chainsnap curl-pipe-tar+sync"
  for v in $variants; do restore_variant "$v" 0; done
  for ((r = 1; r <= REPS; r++)); do
    if ((r % 2)); then order="$variants"; else order="curl-pipe-tar+sync chainsnap curl-pipe-tar curl-sha-tar"; fi
    for v in $order; do restore_variant "$v" "$r"; done
  done
  stop_server
  log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# --- RSS scaling --------------------------------------------------------------------------------
bench_rss_scaling() {
  log ""
  log "== peak RSS vs data size: chainsnap create and restore once at each of: $SCALING_SIZES =="
  for s in $SCALING_SIZES; do
    ensure_corpus "$s"
    local out="$WORK/scale-out"
    rm -rf "$out" "$WORK/served"; mkdir -p "$WORK/served"
    run_timed "rss-$s" create 1 -- bash -c 'ours_create "$1" "$2"' _ "$CORPUS" "$out"
    mv "$out/snapshot.tar.zst" "$out/snapshot.json" "$WORK/served/"
    note "scale_compressed_$s" "$(stat -c %s "$WORK/served/snapshot.tar.zst")"
    note "scale_content_$s" "$(du -sb "$CORPUS" | cut -f1)"
    start_server
    rm -rf "$WORK/restore"
    run_timed "rss-$s" restore 1 -- bash -c 'ours_restore "$@"' _ "http://127.0.0.1:$PORT/snapshot.json" "$WORK/restore"
    stop_server
    [ "$(find "$WORK/restore" -type f | wc -l)" = "$(find "$CORPUS" -type f | wc -l)" ] || die "restore at $s is incomplete"
    rm -rf "$WORK/restore" "$out" "$WORK/served"
  done
}

# --- downtime -----------------------------------------------------------------------------------
bench_downtime() {
  log ""
  log "== node downtime per snapshot: quiesce=stop vs pause-checkpoint ($SNAPSHOTS snapshots each) =="
  local jar="$ROOT/snapshotter/target/quarkus-app/quarkus-run.jar"
  [ -f "$jar" ] || die "$jar is missing: build it (./mvnw -pl bench -am install -DskipTests)"
  local pad=1G
  [ "$QUICK" = 1 ] && pad=256M
  java -Dchainsnap.project.dir="$ROOT" -cp "$CP" io.chainsnap.bench.DowntimeBench \
    --work "$WORK/downtime" --snapshots "$SNAPSHOTS" --padding "$pad" 2>&1 | tee "$WORK/downtime.txt" \
    || die "downtime bench failed (log files under $WORK/downtime)"
  grep -q '^RESULT' "$WORK/downtime.txt" || die "downtime bench printed no result"
}

# --- upload -------------------------------------------------------------------------------------
# The publisher's artifact uploads a staged archive because a snapshot-created event says so (the
# production path, measured from the event to snapshot-uploaded); Debian's awscli v2 copies the
# same file to the same s3proxy. Not the pyenv `aws` shim on PATH: /usr/bin/aws.
bench_upload() {
  log ""
  log "== upload to s3proxy: publisher (snapshot-created to snapshot-uploaded) vs /usr/bin/aws s3 cp, $SIZE archive ($REPS reps after a warm-up) =="
  local jar="$ROOT/publisher/target/quarkus-app/quarkus-run.jar"
  [ -f "$jar" ] || die "$jar is missing: build it (./mvnw -pl bench -am install -DskipTests)"
  [ -x /usr/bin/aws ] || die "/usr/bin/aws is missing (Debian package awscli)"
  local extra=()
  [ "$KEEP" = 1 ] && extra+=(--keep)
  java -Dchainsnap.project.dir="$ROOT" -cp "$CP" io.chainsnap.bench.UploadBench \
    --work "$WORK/upload" --cache "$STATE" --size "$SIZE" --reps "$REPS" --seed "$SEED" --results "$RESULTS" \
    ${extra[@]+"${extra[@]}"} 2>&1 | tee "$WORK/upload.txt" \
    || die "upload bench failed (log files under $WORK/upload with --keep)"
  grep -q 'throughput ratio' "$WORK/upload.txt" || die "upload bench printed no result"
}

# --- zstd parameters ----------------------------------------------------------------------------
# What chainsnap's default parameters (ZstdSettings.DEFAULT) do against plain level 3, with the
# public zstd CLI (which takes the same --zstd= parameters), one thread, on three tar files: the
# corpus, a real litecoind chain (bench/txchain.py) and, as data that is not a chain, the JDK.
ZSTD_PARAMS="strategy=1,hashLog=18,minMatch=6"
TXCHAIN=""
ensure_txchain() {
  local dir="$STATE/txchain-$TXS-v1" litecoind port
  if [ -f "$dir.complete" ] && [ -d "$dir/regtest/blocks" ]; then
    log "txchain: reusing $dir ($(cat "$dir.complete"))"
    TXCHAIN="$dir/regtest"; return
  fi
  litecoind="$(command -v litecoind || true)"
  [ -x /usr/lib/litecoin/litecoind ] && litecoind=/usr/lib/litecoin/litecoind
  if [ -z "$litecoind" ]; then
    log "txchain: no litecoind (Debian package litecoind): the chain data set is left out"; return
  fi
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  rm -rf "$dir" "$dir.complete"; mkdir -p "$dir"
  log "txchain: generating $TXS signed transactions with $litecoind into $dir (a few minutes, once)"
  python3 "$BENCH_DIR/txchain.py" --litecoind "$litecoind" --datadir "$dir" --txs "$TXS" --port "$port" \
    | tee "$dir.complete.tmp" || die "txchain generation failed"
  mv "$dir.complete.tmp" "$dir.complete"
  TXCHAIN="$dir/regtest"
}

bench_params() {
  log ""
  log "== zstd parameters: zstd -T1 -3 vs zstd -T1 -3 --zstd=$ZSTD_PARAMS ($REPS reps after a warm-up) =="
  local sets=(corpus) java_home
  tar -C "$CORPUS" -cf "$WORK/corpus.tar" .
  if [ -n "$TXCHAIN" ]; then
    tar -C "$TXCHAIN" -cf "$WORK/txchain.tar" blocks chainstate indexes; sets+=(txchain)
  fi
  java_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  tar -C "$java_home" -cf "$WORK/jdk.tar" . 2>/dev/null && sets+=(jdk)
  local set r v order
  for set in "${sets[@]}"; do
    note "params_tar_$set" "$(stat -c %s "$WORK/$set.tar")"
    for ((r = 0; r <= REPS; r++)); do
      if ((r % 2)); then order="zstd-3 zstd-3-params"; else order="zstd-3-params zstd-3"; fi
      for v in $order; do
        if [ "$v" = zstd-3 ]; then
          run_timed "params-$set" "$v" "$r" -- zstd -q -T1 -3 -f "$WORK/$set.tar" -o "$WORK/$set.zst"
        else
          run_timed "params-$set" "$v" "$r" -- zstd -q -T1 -3 --zstd="$ZSTD_PARAMS" -f "$WORK/$set.tar" -o "$WORK/$set.zst"
        fi
        if [ "$r" = 0 ]; then
          zstd -q -t "$WORK/$set.zst" || die "$set.zst does not decompress"
          note "params_size_${set}_$v" "$(stat -c %s "$WORK/$set.zst")"
        fi
      done
    done
    rm -f "$WORK/$set.tar" "$WORK/$set.zst"
  done
}

# --- main ---------------------------------------------------------------------------------------
cleanup() {
  stop_server
  if [ "$KEEP" = 0 ] && [ -n "${WORK:-}" ]; then rm -rf "$WORK"; fi
}
summarize() { python3 "$BENCH_DIR/summarize.py" "$RESULTS" "$NOTES" "$@"; }

# the whole run is one function: bash reads it completely before running it, so editing this file
# during a run cannot break the run
main() {
trap cleanup EXIT
trap 'exit 130' INT TERM

ensure_tools
ensure_built
mkdir -p "$STATE"
WORK="$STATE/work-$$"
rm -rf "$WORK"; mkdir -p "$WORK"
RUN_ID="$(date -u +%Y%m%dT%H%M%SZ)"
RESULTS="$STATE/results-$RUN_ID.tsv"
NOTES="$WORK/notes.tsv"
: >"$RESULTS"; : >"$NOTES"

log "chainsnap bench: mode $MODE$([ "$SCALING" = 1 ] && echo ' (rss-scaling)'), size $SIZE, reps $REPS, seed $SEED"
log "candidate: $CLI ($(CHAINSNAP_JAVA_OPTS= "$CLI" --version 2>/dev/null | head -1))"
machine
probe_drop_caches


if [ "$SCALING" = 1 ]; then
  bench_rss_scaling
  summarize --scaling "$SCALING_SIZES"
else
case "$MODE" in
  archive)
    ensure_corpus "$SIZE"
    bench_create
    bench_restore
    summarize ;;
  params)
    ensure_corpus "$SIZE"
    ensure_txchain
    bench_params
    summarize --params ;;
  downtime)
    bench_downtime ;;
  upload)
    bench_upload ;;
  all)
    ensure_corpus "$SIZE"
    bench_create
    bench_restore
    summarize
    ensure_txchain
    bench_params
    summarize --params
    bench_rss_scaling
    summarize --scaling "$SCALING_SIZES"
    bench_downtime
    bench_upload ;;
esac
fi
log ""
log "machine at the end: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); raw figures: $RESULTS"
}

main; exit $?
