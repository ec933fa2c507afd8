#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: initdb in DIR, listening on
# 127.0.0.1 on a free port, trust authentication for its own superuser.
#   cluster.sh start DIR   writes DIR/uri (postgresql://tl_admin@127.0.0.1:PORT/postgres)
#   cluster.sh stop DIR    stops it (immediately) and removes DIR
# PostgreSQL refuses to run as root: as root, the server runs as `nobody`.
# Without PostgreSQL installed, `start` writes DIR/skip (the suites then skip
# their server cases and say why) — except under CI, where it fails.
set -euo pipefail
cmd=${1:?start or stop}
dir=${2:?cluster directory}

bindir=""
for b in "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/*/bin; do
  if [ -n "$b" ] && [ -x "$b/initdb" ] && [ -x "$b/pg_ctl" ]; then bindir=$b; break; fi
done

as_server() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}

# The server's files live under /tmp (a build folder's parents may be closed
# to `nobody`); DIR/datadir says where.
stop() {
  if [ -f "$dir/datadir" ]; then
    data=$(cat "$dir/datadir")
    if [ -f "$data/data/postmaster.pid" ] && [ -n "$bindir" ]; then
      as_server "$bindir/pg_ctl" -D "$data/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    case "$data" in /tmp/tokenledger-pg.*) rm -rf "$data" ;; esac
  fi
  rm -rf "$dir"
}

case "$cmd" in
stop)
  stop
  echo "cluster: stopped"
  ;;
start)
  stop # a cluster left by a killed run
  mkdir -p "$dir"
  if [ -z "$bindir" ]; then
    if [ -n "${CI:-}" ]; then
      echo "cluster: PostgreSQL is not installed (packaging/bootstrap.sh installs postgresql-15)" >&2
      exit 1
    fi
    echo "PostgreSQL is not installed here (initdb not found): the server cases are skipped; packaging/bootstrap.sh installs it" > "$dir/skip"
    echo "cluster: skipped (no PostgreSQL)"
    exit 0
  fi
  data=$(mktemp -d /tmp/tokenledger-pg.XXXXXX)
  echo "$data" > "$dir/datadir"
  [ "$(id -u)" -eq 0 ] && chown nobody "$data"
  as_server "$bindir/initdb" -D "$data/data" -U tl_admin -A trust -E UTF8 --locale=C \
    --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  # Trust for the administrator; a password (SCRAM) for the roles the tests
  # make to check what a team's server asks of its users.
  { echo "host all tl_reader,tl_pw 127.0.0.1/32 scram-sha-256"; cat "$data/data/pg_hba.conf"; } \
    > "$data/pg_hba.new" && mv "$data/pg_hba.new" "$data/data/pg_hba.conf"
  [ "$(id -u)" -eq 0 ] && chown nobody "$data/data/pg_hba.conf"
  # A free port: the first of a random run that nothing answers on and
  # that the server then binds (another may take it in between: retried).
  base=$((20000 + RANDOM % 20000))
  for try in $(seq 0 20); do
    port=$((base + try))
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi
    if as_server "$bindir/pg_ctl" -D "$data/data" -l "$data/server.log" -w -t 30 \
      -o "-p $port -c listen_addresses=127.0.0.1 -k $data -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null 2>&1; then
      echo "postgresql://tl_admin@127.0.0.1:$port/postgres" > "$dir/uri"
      echo "cluster: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
      exit 0
    fi
  done
  cat "$data/server.log" >&2 || true
  echo "cluster: could not start PostgreSQL" >&2
  exit 1
  ;;
*)
  echo "usage: cluster.sh start|stop DIR" >&2
  exit 2
  ;;
esac
