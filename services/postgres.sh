#!/usr/bin/env bash
# PostgreSQL on 127.0.0.1:$OGP_PG_PORT (default 5433) with its own data folder.
#   postgres.sh start | stop | status | createdb NAME [--fresh] | role NAME PASSWORD | sql DB
source "$(dirname "$0")/lib.sh"

BIN=$(pg_bindir)
# (cd /: the postgres user may not enter a private checkout)
as_pg() { (cd / && runuser -u postgres -- "$@"); }
[[ $(id -u) -eq 0 ]] || as_pg() { (cd / && sudo -u postgres "$@"); }
SOCK_DIR="/var/run/postgresql"

is_up() { "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; }

start() {
  if is_up; then return 0; fi
  mkdir -p "$(dirname "$PG_DATA")" "$SOCK_DIR"
  chown postgres:postgres "$SOCK_DIR"
  if [[ ! -s "$PG_DATA/PG_VERSION" ]]; then
    log "Creating PostgreSQL cluster in $PG_DATA"
    mkdir -p "$PG_DATA"; chown postgres:postgres "$PG_DATA"; chmod 700 "$PG_DATA"
    as_pg "$BIN/initdb" -D "$PG_DATA" -E UTF8 --locale=C.UTF-8 \
      --auth-local=peer --auth-host=scram-sha-256 >"$LOG_DIR/initdb.log" 2>&1 \
      || { tail -n 20 "$LOG_DIR/initdb.log" >&2; die "initdb failed"; }
  fi
  log "Starting PostgreSQL on 127.0.0.1:$PG_PORT"
  local pglog="$PG_DATA/server.log"
  as_pg "$BIN/pg_ctl" -D "$PG_DATA" -l "$pglog" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $SOCK_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || true
  wait_until 60 PostgreSQL "$pglog" is_up
  psql_su -tAc "SELECT 1 FROM pg_roles WHERE rolname='$PG_USER'" | grep -q 1 \
    || psql_su -c "CREATE ROLE \"$PG_USER\" LOGIN CREATEDB PASSWORD '$PG_PASSWORD'" >/dev/null
}

psql_su() { as_pg "$BIN/psql" -h "$SOCK_DIR" -p "$PG_PORT" -d postgres -v ON_ERROR_STOP=1 -q "$@"; }

stop() {
  if [[ -s "$PG_DATA/postmaster.pid" ]]; then
    log "Stopping PostgreSQL"
    as_pg "$BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null || true
  fi
}

createdb() {
  local name="$1" fresh="${2:-}"
  start
  if [[ "$fresh" == "--fresh" ]]; then
    psql_su -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null
  fi
  psql_su -tAc "SELECT 1 FROM pg_database WHERE datname='$name'" | grep -q 1 \
    || { log "Creating database $name"; psql_su -c "CREATE DATABASE \"$name\" OWNER \"$PG_USER\" ENCODING 'UTF8' TEMPLATE template0" >/dev/null; }
}

# role NAME PASSWORD: a login role without other rights (the DataStore's
# read-only user), created once.
role() {
  local name="$1" password="$2"
  start
  psql_su -tAc "SELECT 1 FROM pg_roles WHERE rolname='$name'" | grep -q 1 \
    || psql_su -c "CREATE ROLE \"$name\" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '$password'" >/dev/null
}

# sql DB: run the SQL read from stdin in database DB as the superuser.
sql() { start; as_pg "$BIN/psql" -h "$SOCK_DIR" -p "$PG_PORT" -d "$1" -v ON_ERROR_STOP=1 -q >/dev/null; }

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) is_up && echo "PostgreSQL up on 127.0.0.1:$PG_PORT" || { echo "PostgreSQL down"; exit 1; } ;;
  createdb) shift; createdb "$@" ;;
  role) shift; role "$@" ;;
  sql) shift; sql "$@" ;;
  *) echo "usage: $0 start|stop|status|createdb NAME [--fresh]|role NAME PASSWORD|sql DB" >&2; exit 2 ;;
esac
