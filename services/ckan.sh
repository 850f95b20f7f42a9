#!/usr/bin/env bash
# CKAN-level set-up on top of the running services.
#   ckan.sh portal   generate/merge .run/ckan.ini, create and migrate the
#                    portal database, create the sysadmin, load plan + demo data
#   ckan.sh serve    serve the portal on http://127.0.0.1:5000 with gunicorn
#                    and a background-jobs worker (services/web.sh), in the
#                    background; `make stop` stops them
#   ckan.sh testdb   create and migrate the test database (test.ini) and its
#                    DataStore database
#   ckan.sh live-test  a fresh test portal served like the real one (gunicorn,
#                    jobs worker, background checks) on 127.0.0.1:$OGP_LIVE_PORT
#                    (default 5055) with its own database, Solr core and Redis
#                    db, the plan's institutions and the demo data loaded (the
#                    DCAT catalogue in pages of 40, so that harvesters page);
#                    writes .run/live-test.json (url, sysadmin token).
#                    Used by tests/test_live_portal.py and tests/test_browser.py;
#                    `web.sh stop live-test` stops it
#   ckan.sh harvest-target  a second fresh CKAN of this project (database and
#                    Solr core ckan_test_harvest, Redis db 5, 127.0.0.1:5056,
#                    the plan's institutions, no demo data) that harvests the
#                    live test portal in tests/test_harvest.py; writes
#                    .run/harvest-target.json; `web.sh stop harvest-target`.
#                    It runs no jobs worker (harvested files stay queued for
#                    their checks)
#   ckan.sh publish-target  a third fresh CKAN of this project (database and
#                    Solr core ckan_test_publish, Redis db 6, 127.0.0.1:5057,
#                    $OGP_WEB_WORKERS gunicorn workers, default 3 as `make run`,
#                    the plan's institutions) that tests/test_concurrent_publishers.py
#                    writes to from several processes at once; writes
#                    .run/publish-target.json; `web.sh stop publish-target`
source "$(dirname "$0")/lib.sh"

CKAN="$VENV/bin/ckan"
PORTAL_INI="$RUN_DIR/ckan.ini"
SYSADMIN_FILE="$RUN_DIR/sysadmin.json"

migrate() {  # migrate INI: core tables, then every enabled plugin's own
  "$CKAN" -c "$1" db init >"$LOG_DIR/db-init.log" 2>&1 \
    || { tail -n 30 "$LOG_DIR/db-init.log" >&2; die "ckan db init failed for $1"; }
  "$CKAN" -c "$1" db pending-migrations --apply >>"$LOG_DIR/db-init.log" 2>&1 \
    || { tail -n 30 "$LOG_DIR/db-init.log" >&2; die "plugin migrations failed for $1"; }
}

# datastore_db INI DB [--fresh]: the DataStore database of INI, its
# read-only user, and the rights CKAN's `datastore set-permissions` asks for
# (the read-only user may read the DataStore tables and nothing else).
datastore_db() {
  "$ROOT/services/postgres.sh" role "$PG_RO_USER" "$PG_RO_PASSWORD"
  "$ROOT/services/postgres.sh" createdb "$2" ${3:-}
  "$CKAN" -c "$1" datastore set-permissions 2>"$LOG_DIR/datastore-permissions.log" \
    | "$ROOT/services/postgres.sh" sql "$2" \
    || { tail -n 20 "$LOG_DIR/datastore-permissions.log" >&2; die "setting the DataStore permissions of $2 failed"; }
}

portal_config() {
  if [[ ! -s "$PORTAL_INI" ]]; then
    log "Generating $PORTAL_INI (fresh secrets)"
    "$CKAN" generate config "$PORTAL_INI" >/dev/null
  fi
  "$CKAN" config-tool "$PORTAL_INI" -f "$ROOT/config/portal.ini" >/dev/null
  mkdir -p "$RUN_DIR/storage"
}

# The token saved in .run/sysadmin.json still exists in the database (the
# database may have been recreated, e.g. by another checkout on this machine).
saved_token_valid() {
  [[ -s "$SYSADMIN_FILE" ]] || return 1
  local jti
  jti=$("$VENV/bin/python" - "$SYSADMIN_FILE" <<'PY'
import base64, json, sys
token = json.load(open(sys.argv[1]))["api_token"]
payload = token.split(".")[1]
print(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["jti"])
PY
) || return 1
  "$CKAN" -c "$PORTAL_INI" user token list "${OGP_SYSADMIN:-admin}" 2>/dev/null | grep -q -- "$jti"
}

sysadmin() {
  local name="${OGP_SYSADMIN:-admin}" password token
  if saved_token_valid; then
    return 0
  fi
  password=$("$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(12))')
  if "$CKAN" -c "$PORTAL_INI" user show "$name" 2>/dev/null | grep -q "name=$name"; then
    "$CKAN" -c "$PORTAL_INI" user setpass "$name" -p "$password" >/dev/null
  else
    "$CKAN" -c "$PORTAL_INI" user add "$name" email="$name@localhost" password="$password" >/dev/null
  fi
  "$CKAN" -c "$PORTAL_INI" sysadmin add "$name" >/dev/null
  token=$("$CKAN" -c "$PORTAL_INI" user token add "$name" make-run | tail -n 1 | tr -d '[:space:]')
  umask 077
  printf '{"name": "%s", "password": "%s", "api_token": "%s", "url": "http://127.0.0.1:5000"}\n' \
    "$name" "$password" "$token" >"$SYSADMIN_FILE"
}

print_sysadmin() {
  "$VENV/bin/python" - "$SYSADMIN_FILE" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print("\n  Sysadmin / Administrador: %(name)s\n  Password / Contraseña:    %(password)s\n  API token:                %(api_token)s" % d)
print("  (saved in %s)\n" % sys.argv[1])
PY
}

# live_instance NAME PORT REDIS_DB DATABASE WITH_DEMO: a fresh CKAN of this
# project served like the real one (gunicorn, jobs worker) on 127.0.0.1:PORT
# with its own database DATABASE (and DATABASE_datastore), Solr core DATABASE,
# Redis db, storage and a sysadmin; the plan's institutions, and the demo data
# if WITH_DEMO is "demo". Writes .run/NAME.ini and .run/NAME.json.
live_instance() {
  local name="$1" port="$2" redis_db="$3" db="$4" with_demo="$5"
  local ini="$RUN_DIR/$name.ini" token admin="$1-admin"
  "$ROOT/services/web.sh" stop "$name"
  cp "$ROOT/test.ini" "$ini"
  "$CKAN" config-tool "$ini" \
    "sqlalchemy.url=postgresql://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/$db" \
    "solr_url=http://127.0.0.1:$SOLR_PORT/solr/$db" \
    "ckan.redis.url=redis://127.0.0.1:$REDIS_PORT/$redis_db" \
    "ckan.harvest.mq.redis_db=$redis_db" \
    "ckan.site_url=http://127.0.0.1:$port" \
    "ckan.storage_path=$RUN_DIR/$name-storage" \
    "licenses_group_url=file://$ROOT/ckanext/ogpguatemala/data/licenses.json" \
    "ckan.datastore.write_url=postgresql://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/${db}_datastore" \
    "ckan.datastore.read_url=postgresql://$PG_RO_USER:$PG_RO_PASSWORD@127.0.0.1:$PG_PORT/${db}_datastore" \
    "ckanext.xloader.jobs_db.uri=sqlite:///$RUN_DIR/xloader-jobs-$name.db" \
    "ckanext.ogpguatemala.checks_async=true" \
    "ckanext.dcat.datasets_per_page=40" \
    "WTF_CSRF_ENABLED=true" >/dev/null
  "$ROOT/services/postgres.sh" createdb "$db" --fresh
  datastore_db "$ini" "${db}_datastore" --fresh
  "$ROOT/services/solr.sh" clear "$db"
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" -n "$redis_db" flushdb >/dev/null
  rm -rf "$RUN_DIR/$name-storage"
  migrate "$ini"
  "$CKAN" -c "$ini" user add "$admin" email="$admin@localhost" \
    password="$("$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(12))')" >/dev/null
  "$CKAN" -c "$ini" sysadmin add "$admin" >/dev/null
  token=$("$CKAN" -c "$ini" user token add "$admin" "$name" | tail -n 1 | tr -d '[:space:]')
  printf '{"url": "http://127.0.0.1:%s", "ini": "%s", "api_token": "%s"}\n' "$port" "$ini" "$token" \
    >"$RUN_DIR/$name.json"
  # what `make run` loads: the institutions (organizations) and the demo data
  "$CKAN" -c "$ini" ogpguatemala load-registry >"$LOG_DIR/$name-load.log" 2>&1 \
    || { tail -n 30 "$LOG_DIR/$name-load.log" >&2; die "loading the plan failed"; }
  if [[ "$with_demo" == demo ]]; then
    "$CKAN" -c "$ini" ogpguatemala load-demo >>"$LOG_DIR/$name-load.log" 2>&1 \
      || { tail -n 30 "$LOG_DIR/$name-load.log" >&2; die "loading the demo data failed"; }
  fi
  OGP_WEB_WORKERS="${OGP_WEB_WORKERS:-2}" OGP_JOB_WORKERS="${jobs:-1}" \
    "$ROOT/services/web.sh" start "$ini" "$port" "$name"
}

case "${1:-}" in
  portal)
    portal_config
    "$ROOT/services/postgres.sh" createdb ckan
    log "Migrating the portal database"
    datastore_db "$PORTAL_INI" ckan_datastore
    migrate "$PORTAL_INI"
    sysadmin
    log "Loading the plan registry (organizations) and demo data"
    "$CKAN" -c "$PORTAL_INI" ogpguatemala load-registry
    "$CKAN" -c "$PORTAL_INI" ogpguatemala load-demo --users-file "$RUN_DIR/demo-users.json"
    "$CKAN" -c "$PORTAL_INI" ogpguatemala publish-observatory ;;
  serve)
    OGP_HARVEST=1 "$ROOT/services/web.sh" start "$PORTAL_INI" "${OGP_PORT:-5000}" portal
    echo
    echo "  Portal: http://127.0.0.1:${OGP_PORT:-5000}/   (English: /en/)"
    echo "  Processes (gunicorn master + workers, jobs worker):"
    "$ROOT/services/web.sh" status portal || true
    echo "  Logs: $LOG_DIR/portal-*.log     Stop everything: make stop"
    if [[ -s "$RUN_DIR/demo-users.json" ]]; then
      echo "  Demo editors (editor-<institution>, one per organization): $RUN_DIR/demo-users.json"
    fi
    print_sysadmin ;;
  testdb)
    "$ROOT/services/postgres.sh" createdb ckan_test
    log "Migrating the test database"
    datastore_db "$ROOT/test.ini" ckan_test_datastore --fresh
    migrate "$ROOT/test.ini" ;;
  live-test)
    live_instance live-test "${OGP_LIVE_PORT:-5055}" 2 ckan_test_live demo ;;
  harvest-target)
    # no jobs worker: the harvested files' checks stay queued (not what the
    # round trip is about, and minutes of downloads)
    jobs=0 live_instance harvest-target "${OGP_HARVEST_PORT:-5056}" 5 ckan_test_harvest plan ;;
  publish-target)
    OGP_WEB_WORKERS="${OGP_WEB_WORKERS:-3}" jobs=0 \
      live_instance publish-target "${OGP_PUBLISH_PORT:-5057}" 6 ckan_test_publish plan ;;
  *) echo "usage: $0 portal|serve|testdb|live-test|harvest-target|publish-target" >&2; exit 2 ;;
esac
