#!/usr/bin/env bash
# CKAN-level set-up on top of the running services.
#   ckan.sh portal   generate/merge .run/ckan.ini, create and migrate the
#                    portal database, create the sysadmin, load plan + demo data
#   ckan.sh serve    serve the portal on http://127.0.0.1:5000 (foreground)
#   ckan.sh testdb   create and migrate the test database (test.ini)
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

portal_config() {
  if [[ ! -s "$PORTAL_INI" ]]; then
    log "Generating $PORTAL_INI (fresh secrets)"
    "$CKAN" generate config "$PORTAL_INI" >/dev/null
  fi
  "$CKAN" config-tool "$PORTAL_INI" -f "$ROOT/config/portal.ini" >/dev/null
  mkdir -p "$RUN_DIR/storage"
  # The portal's own copy of the OC4IDS schema (no internet here); without
  # one, the official URL stays configured.
  local oc4ids="$ROOT/../shared/oc4ids/0.9.5"
  if [[ -f "$oc4ids/project-schema.json" ]]; then
    rm -rf "$RUN_DIR/oc4ids-0.9.5" && cp -r "$oc4ids" "$RUN_DIR/oc4ids-0.9.5"
    "$CKAN" config-tool "$PORTAL_INI" "ckanext.ogpguatemala.oc4ids_schema=$RUN_DIR/oc4ids-0.9.5" >/dev/null
  fi
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

case "${1:-}" in
  portal)
    portal_config
    "$ROOT/services/postgres.sh" createdb ckan
    log "Migrating the portal database"
    migrate "$PORTAL_INI"
    sysadmin
    log "Loading the plan registry (organizations) and demo data"
    "$CKAN" -c "$PORTAL_INI" ogpguatemala load-registry
    "$CKAN" -c "$PORTAL_INI" ogpguatemala load-demo
    print_sysadmin ;;
  serve)
    log "Serving CKAN on http://127.0.0.1:5000 (Ctrl-C stops CKAN; 'make stop' stops the services)"
    exec "$CKAN" -c "$PORTAL_INI" run --host 127.0.0.1 --port 5000 --threaded --disable-debugger ;;
  testdb)
    "$ROOT/services/postgres.sh" createdb ckan_test
    log "Migrating the test database"
    migrate "$ROOT/test.ini" ;;
  *) echo "usage: $0 portal|serve|testdb" >&2; exit 2 ;;
esac
