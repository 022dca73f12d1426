#!/usr/bin/env bash
# `nirssync bench upload` against the three deployments side by side, in one run (docs/performance.md):
# sqlite single node, postgres single node (role all), postgres one web + one worker node.
# Starts its own PostgreSQL cluster (Debian's initdb/pg_ctl, as user postgres when run as root) on a temporary
# folder; durable settings (fsync on), as in production. Usage: scripts/bench-modes.sh [FILES] [CONCURRENCY]
set -euo pipefail
cd "$(dirname "$0")/.."
files=${1:-500}; concurrency=${2:-8}
dotnet build -c Release server/NirsSync.Server -v q -nologo >/dev/null
dotnet build -c Release server/NirsSync.Cli -v q -nologo >/dev/null
server_dir=$(pwd)/server/NirsSync.Server/bin/Release/net10.0
cli=$(pwd)/server/NirsSync.Cli/bin/Release/net10.0/nirssync
work=$(mktemp -d /tmp/nirssync-bench-XXXXXX)
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg=(); if [ "$(id -u)" -eq 0 ]; then chown postgres: "$work"; as_pg=(runuser -u postgres --); fi
port=$((20000 + RANDOM % 20000))
"${as_pg[@]}" "$bin/initdb" -D "$work/pg" -U postgres -A trust >/dev/null
"${as_pg[@]}" "$bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w \
  -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$work -c max_connections=200" start >/dev/null
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; pkill -f "NirsSync.Server.dll --urls http://127.0.0.1:528[0-3]" 2>/dev/null || true
  "${as_pg[@]}" "$bin/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null 2>&1 || true
  [ -n "${KEEP_BENCH:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
pgcs() { echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=$1;Maximum Pool Size=50"; }
start() { # start NAME URLPORT ENV...
  local name=$1 p=$2; shift 2
  (cd "$server_dir" && env "$@" dotnet NirsSync.Server.dll --urls "http://127.0.0.1:$p" >"$work/$name.log" 2>&1) &
  pids+=($!)
  for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$p/health" >/dev/null && return 0; sleep 0.5; done
  echo "$name did not start"; tail -5 "$work/$name.log"; exit 1
}
pid_of() { pgrep -f "NirsSync.Server.dll --urls http://127.0.0.1:$1" | head -1; }
stop() { # stop URLPORT: the server process itself (the subshell that started it may not be it)
  local p; p=$(pid_of "$1"); [ -n "$p" ] && kill "$p" && while kill -0 "$p" 2>/dev/null; do sleep 0.2; done; return 0
}
bench() { # bench LABEL URLPORT [WORKERPORT] -- ENV...: server (and worker) CPU, and PostgreSQL's when it runs
  local label=$1 p=$2 extra=(--server-pid "$(pid_of "$2")"); shift 2
  if [ "${1:-}" != "--" ]; then extra+=(--worker-pid "$(pid_of "$1")"); shift; fi
  shift
  [ -f "$work/pg/postmaster.pid" ] && extra+=(--postgres-pid "$(head -1 "$work/pg/postmaster.pid")")
  echo "== $label (load $(cut -d' ' -f1-3 /proc/loadavg))"
  env "$@" "$cli" bench upload --server "http://127.0.0.1:$p" --files "$files" --concurrency "$concurrency" --data "$work/sqlite" "${extra[@]}"
}
base=(Logging__LogLevel__Default=Warning)

start sqlite 5280 "${base[@]}" NirsSync__DataDirectory="$work/sqlite"
bench "sqlite, one node" 5280 -- NirsSync__DataDirectory="$work/sqlite"
stop 5280

"${as_pg[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres bench_all
pg=(NirsSync__Database=postgres "NirsSync__Postgres=$(pgcs bench_all)")
start pg-all 5281 "${base[@]}" "${pg[@]}"
bench "postgres, one node (all)" 5281 -- "${pg[@]}"
stop 5281

"${as_pg[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres bench_split
pg=(NirsSync__Database=postgres "NirsSync__Postgres=$(pgcs bench_split)")
start pg-web 5282 "${base[@]}" "${pg[@]}" NirsSync__Role=web
start pg-worker 5283 "${base[@]}" "${pg[@]}" NirsSync__Role=worker
bench "postgres, one web + one worker node" 5282 5283 -- "${pg[@]}"
stop 5282; stop 5283
