#!/usr/bin/env bash
# Controls one service of the local stack started by scripts/local-up.sh, through its supervisor:
#   scripts/local-service.sh restart|stop|start SERVICE    SERVICE: snapshotter, publisher, verifier
#   scripts/local-service.sh status                        every process the stack runs, with its pid
# The supervisor stops and starts the service with the same port and settings, waits until it is
# ready, and keeps track of it, so that scripts/local-down.sh stops it too.
#   CHAINSNAP_LOCAL_STATE  state directory (default .stack/local)
set -euo pipefail
cd "$(dirname "$0")/.."
STATE=${CHAINSNAP_LOCAL_STATE:-.stack/local}
usage() { sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; }

alive() { # pidfile: true if the process it names runs and is the one recorded
  local pid start
  read -r pid start <"$1" || return 1
  [ -r "/proc/$pid/stat" ] || return 1
  [ "$start" = 0 ] || [ "$(sed 's/.*) //' "/proc/$pid/stat" | cut -d' ' -f20)" = "$start" ]
}

verb=${1:-}
case "$verb" in
  status)
    [ -d "$STATE/pids" ] || { echo "no local stack in $STATE"; exit 1; }
    for f in "$STATE"/pids/*.pid; do
      [ -e "$f" ] || continue
      name=$(basename "$f" .pid)
      if alive "$f"; then echo "$name running, pid $(cut -d' ' -f1 "$f")"; else echo "$name gone"; fi
    done
    exit 0 ;;
  restart | stop | start) ;;
  -h | --help) usage; exit 0 ;;
  *) usage >&2; exit 2 ;;
esac
service=${2:-}
[ -n "$service" ] || { usage >&2; exit 2; }
if ! [ -f "$STATE/pipeline.pid" ] || ! kill -0 "$(cat "$STATE/pipeline.pid")" 2>/dev/null; then
  echo "[local] no local stack runs (start it with scripts/local-up.sh)" >&2; exit 1
fi
id="$(date +%s%N)-$$"
mkdir -p "$STATE/control"
printf '%s %s\n' "$verb" "$service" >"$STATE/control/$id.request.partial"
mv "$STATE/control/$id.request.partial" "$STATE/control/$id.request"
for _ in $(seq 1 900); do # a start waits for readiness: up to 2 minutes per service
  if [ -f "$STATE/control/$id.result" ]; then
    answer=$(cat "$STATE/control/$id.result"); rm -f "$STATE/control/$id.result"
    echo "[local] $answer"
    case "$answer" in ok*) exit 0 ;; *) exit 1 ;; esac
  fi
  kill -0 "$(cat "$STATE/pipeline.pid")" 2>/dev/null || { echo "[local] the supervisor died; see $STATE/logs/pipeline.log" >&2; exit 1; }
  sleep 0.2
done
echo "[local] no answer from the supervisor after 3 minutes; see $STATE/logs/pipeline.log" >&2
exit 1
