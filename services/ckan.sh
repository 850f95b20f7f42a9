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
#                    db, the plan's institutions and the demo data loaded;
#                    writes .run/live-test.json (url, sysadmin token).
#                    Used by tests/test_live_portal.py and tests/test_browser.py;
#                    `web.sh stop live-test` stops it
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

live_test() {
  local ini="$RUN_DIR/live-test.ini" port="${OGP_LIVE_PORT:-5055}" token
  "$ROOT/services/web.sh" stop live-test
  cp "$ROOT/test.ini" "$ini"
  "$CKAN" config-tool "$ini" \
    "sqlalchemy.url=postgresql://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/ckan_test_live" \
    "solr_url=http://127.0.0.1:$SOLR_PORT/solr/ckan_test_live" \
    "ckan.redis.url=redis://127.0.0.1:$REDIS_PORT/2" \
    "ckan.site_url=http://127.0.0.1:$port" \
    "ckan.storage_path=$RUN_DIR/live-storage" \
    "licenses_group_url=file://$ROOT/ckanext/ogpguatemala/data/licenses.json" \
    "ckan.datastore.write_url=postgresql://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/ckan_test_live_datastore" \
    "ckan.datastore.read_url=postgresql://$PG_RO_USER:$PG_RO_PASSWORD@127.0.0.1:$PG_PORT/ckan_test_live_datastore" \
    "ckanext.xloader.jobs_db.uri=sqlite:///$RUN_DIR/xloader-jobs-live.db" \
    "ckanext.ogpguatemala.checks_async=true" \
    "WTF_CSRF_ENABLED=true" >/dev/null
  "$ROOT/services/postgres.sh" createdb ckan_test_live --fresh
  datastore_db "$ini" ckan_test_live_datastore --fresh
  "$ROOT/services/solr.sh" clear ckan_test_live
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" -n 2 flushdb >/dev/null
  rm -rf "$RUN_DIR/live-storage"
  migrate "$ini"
  "$CKAN" -c "$ini" user add live-admin email=live-admin@localhost \
    password="$("$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(12))')" >/dev/null
  "$CKAN" -c "$ini" sysadmin add live-admin >/dev/null
  token=$("$CKAN" -c "$ini" user token add live-admin live-test | tail -n 1 | tr -d '[:space:]')
  printf '{"url": "http://127.0.0.1:%s", "ini": "%s", "api_token": "%s"}\n' "$port" "$ini" "$token" \
    >"$RUN_DIR/live-test.json"
  # what `make run` loads: the institutions (organizations) and the demo data
  "$CKAN" -c "$ini" ogpguatemala load-registry >"$LOG_DIR/live-test-load.log" 2>&1 \
    && "$CKAN" -c "$ini" ogpguatemala load-demo >>"$LOG_DIR/live-test-load.log" 2>&1 \
    || { tail -n 30 "$LOG_DIR/live-test-load.log" >&2; die "loading the plan or the demo data failed"; }
  OGP_WEB_WORKERS="${OGP_WEB_WORKERS:-2}" "$ROOT/services/web.sh" start "$ini" "$port" live-test
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
    "$ROOT/services/web.sh" start "$PORTAL_INI" "${OGP_PORT:-5000}" portal
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
    live_test ;;
  *) echo "usage: $0 portal|serve|testdb|live-test" >&2; exit 2 ;;
esac
