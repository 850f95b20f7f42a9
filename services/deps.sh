#!/usr/bin/env bash
# Installs what the stack needs and is missing: Debian packages, a Python
# virtualenv with the pinned packages and this extension, and the Solr jars
# from Maven Central. Re-running it only redoes what changed.
source "$(dirname "$0")/lib.sh"

apt_ensure postgresql redis-server maven openjdk-17-jdk-headless \
  python3-venv python3-dev libpq-dev build-essential curl ca-certificates \
  chromium chromium-driver  # the browser tests (tests/test_browser.py)

# ---- Python -----------------------------------------------------------
PYTHON="${OGP_PYTHON:-python3}"
if [[ ! -x "$VENV/bin/python" ]]; then
  log "Creating virtualenv $VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip setuptools wheel
fi
stamp="$VENV/.ogp-requirements.sha"
want=$(cat "$ROOT/requirements.txt" "$ROOT/dev-requirements.txt" "$ROOT/setup.py" | sha256sum | cut -d' ' -f1)
if [[ "$(cat "$stamp" 2>/dev/null)" != "$want" ]]; then
  log "Installing Python packages (CKAN 2.12, scheming, dcat, test tools)"
  "$VENV/bin/pip" install -q -r "$ROOT/requirements.txt" -r "$ROOT/dev-requirements.txt" \
    >"$LOG_DIR/pip.log" 2>&1 || { tail -n 40 "$LOG_DIR/pip.log" >&2; die "pip install failed"; }
  "$VENV/bin/pip" install -q --no-deps -e "$ROOT" >>"$LOG_DIR/pip.log" 2>&1 \
    || { tail -n 40 "$LOG_DIR/pip.log" >&2; die "pip install -e . failed"; }
  echo "$want" >"$stamp"
fi

# ---- Solr jars ----------------------------------------------------------
cp_file="$RUN_DIR/solr-classpath.txt"
cp_stamp="$RUN_DIR/solr-classpath.sha"
want=$(sha256sum "$ROOT/services/solr/pom.xml" | cut -d' ' -f1)
if [[ ! -s "$cp_file" || "$(cat "$cp_stamp" 2>/dev/null)" != "$want" ]]; then
  log "Resolving Apache Solr jars from Maven Central"
  mvn -q -B -f "$ROOT/services/solr/pom.xml" dependency:build-classpath \
    -Dmdep.outputFile="$cp_file" >"$LOG_DIR/mvn.log" 2>&1 \
    || { tail -n 40 "$LOG_DIR/mvn.log" >&2; die "mvn dependency:build-classpath failed"; }
  echo "$want" >"$cp_stamp"
fi

# ---- Translations -------------------------------------------------------
# The compiled catalogue (.mo) is built here, never committed.
"$ROOT/services/i18n.sh" compile

# ---- Front-end libraries (npm) ---------------------------------------------
# Chart.js for the observatory, pinned in package-lock.json and served by the
# portal itself (webassets); node_modules/ is installed here, never committed.
{ command -v node && command -v npm; } >/dev/null 2>&1 || apt_ensure nodejs npm
ASSETS="$ROOT/ckanext/ogpguatemala/assets"
stamp="$ASSETS/node_modules/.ogp-package-lock.sha"
want=$(sha256sum "$ASSETS/package-lock.json" | cut -d' ' -f1)
if [[ "$(cat "$stamp" 2>/dev/null)" != "$want" ]]; then
  log "Installing front-end libraries (npm ci: Chart.js)"
  npm ci --prefix "$ASSETS" --no-audit --no-fund >"$LOG_DIR/npm.log" 2>&1 \
    || { tail -n 40 "$LOG_DIR/npm.log" >&2; die "npm ci failed"; }
  echo "$want" >"$stamp"
fi
