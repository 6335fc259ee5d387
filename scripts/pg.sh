#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (and for trying a PostgreSQL
# workspace by hand): initdb in DIR as an unprivileged user, listening only
# on a Unix socket in DIR (no TCP), one database "assay" owned by the
# superuser "assay" (trust authentication: only who can reach DIR connects).
#
# usage: scripts/pg.sh start [DIR]  start it; prints the workspace URI and
#                                   writes it to DIR/uri (without DIR: in a
#                                   new directory /tmp/assay-pg.XXXXXX)
#        scripts/pg.sh stop DIR|URI stop it and remove DIR (or the URI's host=)
#        scripts/pg.sh uri DIR      print the URI of a started cluster
# As root, the cluster runs as "nobody" (PostgreSQL refuses to run as root);
# DIR's parent must then be searchable by nobody (/tmp is).
# ASSAY_PG_DURABLE=1: a cluster that flushes every commit (for measuring).
# `start` exits 0 without a cluster, printing why, when no PostgreSQL server
# is installed (Debian: the postgresql package); the tests then skip. With
# ASSAY_PG_REQUIRED=1 that is an error (CI).
set -euo pipefail

cmd=${1:-}
dir=${2:-}
if [ "$cmd" = start ] && [ -z "$dir" ]; then dir=$(mktemp -d /tmp/assay-pg.XXXXXX); fi
case "$dir" in
  postgresql://*host=/*) dir=${dir##*host=}; dir=${dir%%&*} ;;
esac
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: scripts/pg.sh start [DIR] | stop DIR|URI | uri DIR" >&2
  exit 2
fi

bindir() {
  local d
  for d in "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/*/bin; do
    if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
      echo "$d"
      return 0
    fi
  done
  return 1
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u nobody -- "$@"
  else
    "$@"
  fi
}

uri_of() { echo "postgresql://assay@/assay?host=$1"; }

case "$cmd" in
  start)
    if ! bin=$(bindir); then
      echo "pg.sh: no PostgreSQL server installed (initdb, pg_ctl); install Debian's postgresql package"
      [ "${ASSAY_PG_REQUIRED:-0}" = 1 ] && exit 1
      exit 0
    fi
    # A cluster left by an earlier run that did not stop it.
    if [ -f "$dir/data/postmaster.pid" ]; then as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; fi
    rm -rf "$dir"
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [ "$(id -u)" -eq 0 ]; then chown nobody "$dir"; fi
    chmod 700 "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U assay --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
      --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    # Only a Unix socket in DIR; small and quick: the tests write little and
    # nothing here needs to survive a crash. ASSAY_PG_DURABLE=1 (bench/load.sh)
    # keeps PostgreSQL's defaults instead: every commit flushed to disk.
    settings="-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=40 -c shared_buffers=16MB"
    [ "${ASSAY_PG_DURABLE:-0}" = 1 ] && settings="-c max_connections=120"
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses='' -c unix_socket_directories='$dir' $settings" start >/dev/null ||
      { cat "$dir/server.log" >&2; exit 1; }
    "$bin/createdb" -h "$dir" -U assay assay
    # The socket directory is nobody's: let the tests (root) reach it.
    chmod 755 "$dir"
    uri_of "$dir" | tee "$dir/uri"
    ;;
  stop)
    if [ -d "$dir/data" ] && bin=$(bindir); then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  uri)
    cat "$dir/uri"
    ;;
  *)
    echo "usage: scripts/pg.sh start|stop|uri DIR" >&2
    exit 2
    ;;
esac
