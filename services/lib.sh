# Shared settings and helpers for the service scripts. Source it; don't run it.
# Every value can be overridden from the environment.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_DIR="${OGP_RUN_DIR:-$ROOT/.run}"          # git-ignored runtime folder
VENV="${OGP_VENV:-$ROOT/.venv}"
LOG_DIR="$RUN_DIR/log"

PG_VERSION="${OGP_PG_VERSION:-}"
PG_PORT="${OGP_PG_PORT:-5433}"
# PostgreSQL will not run as root and cannot enter a private checkout
# (mktemp -d folders are 0700), so its data lives outside the work tree.
PG_DATA="${OGP_PG_DATA:-/var/lib/ogpguatemala/pg-$PG_PORT}"
PG_USER="${OGP_PG_USER:-ckan}"
PG_PASSWORD="${OGP_PG_PASSWORD:-ckan}"
# The DataStore's read-only user (datastore_search_sql, previews).
PG_RO_USER="${OGP_PG_RO_USER:-datastore_ro}"
PG_RO_PASSWORD="${OGP_PG_RO_PASSWORD:-datastore_ro}"

REDIS_PORT="${OGP_REDIS_PORT:-6379}"
# OGP_SOLR_MODE: "standalone" (default, one Solr node with one core per
# name) or "cloud" (a SolrCloud: embedded ZooKeeper, $OGP_SOLR_NODES nodes on
# consecutive ports from OGP_SOLR_PORT, one collection per name with
# $OGP_SOLR_SHARDS shards x $OGP_SOLR_REPLICAS replicas; see solr.sh).
SOLR_MODE="${OGP_SOLR_MODE:-standalone}"
# A second, separate Solr (e.g. the one tests/test_solr_outage.py stops) gets
# its own port, home and cores: OGP_SOLR_PORT, OGP_SOLR_HOME, OGP_SOLR_CORES.
if [[ "$SOLR_MODE" == cloud ]]; then
  SOLR_PORT="${OGP_SOLR_PORT:-8985}"
  SOLR_HOME="${OGP_SOLR_HOME:-$RUN_DIR/solrcloud}"
  SOLR_CORES="${OGP_SOLR_CORES:-ckan_test}"
  SOLR_NODES="${OGP_SOLR_NODES:-2}"
  SOLR_SHARDS="${OGP_SOLR_SHARDS:-2}"
  SOLR_REPLICAS="${OGP_SOLR_REPLICAS:-2}"
else
  SOLR_PORT="${OGP_SOLR_PORT:-8983}"
  SOLR_HOME="${OGP_SOLR_HOME:-$RUN_DIR/solr}"
  SOLR_CORES="${OGP_SOLR_CORES:-ckan ckan_test ckan_test_live ckan_test_harvest ckan_test_publish}"
fi

mkdir -p "$RUN_DIR" "$LOG_DIR"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31mERROR:\033[0m %s\n' "$*" >&2; exit 1; }

# wait_until SECONDS DESCRIPTION LOGFILE COMMAND...: polls COMMAND every
# half second; on time-out prints the log tail and fails.
wait_until() {
  local seconds="$1" what="$2" logfile="$3"; shift 3
  local tries=$((seconds * 2))
  local why="did not come up within ${seconds}s"
  while ((tries-- > 0)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    # WAIT_PID: give up at once when the process we started has died.
    if [[ -n "${WAIT_PID:-}" ]] && ! kill -0 "$WAIT_PID" 2>/dev/null; then
      why="exited before answering"; break
    fi
    sleep 0.5
  done
  printf '\033[1;31mERROR:\033[0m %s %s.\n' "$what" "$why" >&2
  if [[ -n "$logfile" && -f "$logfile" ]]; then
    echo "---- last lines of $logfile ----" >&2
    tail -n 40 "$logfile" >&2
  fi
  exit 1
}

# apt_ensure PACKAGE...: installs the Debian packages that are missing.
apt_ensure() {
  local missing=()
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  log "Installing Debian packages: ${missing[*]}"
  local sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$LOG_DIR/apt.log" 2>&1 \
    || { tail -n 30 "$LOG_DIR/apt.log" >&2; die "apt-get install failed"; }
}

pg_bindir() {
  local v="$PG_VERSION"
  if [[ -z "$v" ]]; then
    v=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1)
  fi
  [[ -n "$v" && -x "/usr/lib/postgresql/$v/bin/postgres" ]] || die "PostgreSQL server binaries not found under /usr/lib/postgresql"
  echo "/usr/lib/postgresql/$v/bin"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
