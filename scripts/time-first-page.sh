#!/usr/bin/env bash
# Time from `git clone` to the first page of `make run`, with an empty venv and empty caches.
#   scripts/time-first-page.sh [REV]   (clones this repository at REV, default HEAD, into a temp dir)
set -euo pipefail
REPO=${REPO:-$(cd "$(dirname "$0")/.." && pwd)}
REV=${1:-HEAD}
WORK=$(mktemp -d /tmp/first-page.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export PIP_NO_CACHE_DIR=1 UV_NO_CACHE=1 UV_CACHE_DIR="$WORK/uv-cache" RUNSERVER_ADDR="127.0.0.1:$PORT"
start=$(date +%s.%N)
git clone -q "$REPO" "$WORK/repo" && git -C "$WORK/repo" checkout -q "$REV"
cd "$WORK/repo"
setsid make run > "$WORK/run.log" 2>&1 &
RUN_PID=$!
for _ in $(seq 1200); do
  if curl -fs -o /dev/null "http://127.0.0.1:$PORT/"; then break; fi
  kill -0 "$RUN_PID" 2>/dev/null || { tail -30 "$WORK/run.log"; exit 1; }
  sleep 0.25
done
end=$(date +%s.%N)
python3 -c "print(f'first page after {${end} - ${start}:.1f} s')"
kill -- -"$RUN_PID" 2>/dev/null || true
sleep 2
pkill -f "$WORK/repo" 2>/dev/null || true
rm -rf "$WORK"
