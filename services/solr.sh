#!/usr/bin/env bash
# Apache Solr 9 on 127.0.0.1:$OGP_SOLR_PORT/solr (default 8983), assembled from
# Maven Central jars and started by SolrLauncher.java. One core per name in
# $OGP_SOLR_CORES (see lib.sh), each with CKAN's own schema.xml, under the solr
# home $OGP_SOLR_HOME (default .run/solr; its pid file and log are named
# after it, so several Solrs on different ports can run side by side).
# With OGP_SOLR_MODE=cloud it starts a SolrCloud instead (CloudLauncher.java:
# embedded ZooKeeper, $SOLR_NODES nodes from port $SOLR_PORT on, one
# collection per name in $OGP_SOLR_CORES, $SOLR_SHARDS shards x
# $SOLR_REPLICAS replicas, CKAN's schema.xml as the config set). Its index
# lives as long as the cluster: each start begins empty.
#   solr.sh start | stop | status | clear CORE
#   solr.sh node stop|start N     (cloud) take node N away / bring it back
source "$(dirname "$0")/lib.sh"

PID_FILE="${SOLR_HOME%/}.pid"
SOLR_LOG="$LOG_DIR/$(basename "$SOLR_HOME").log"
BASE="http://127.0.0.1:$SOLR_PORT/solr"

ping_core() { curl -fsS "$BASE/$1/admin/ping?wt=json" 2>/dev/null | grep -q '"status":"OK"'; }
all_up() { local c; for c in $SOLR_CORES; do ping_core "$c" || return 1; done; }

# The solr home of whatever Solr answers on the port ("" if none answers).
serving_home() {
  curl -fsS "$BASE/admin/info/system?wt=json" 2>/dev/null \
    | "$VENV/bin/python" -c 'import json,sys; print(json.load(sys.stdin).get("solr_home","").rstrip("/"))' 2>/dev/null
}

# Up, and ours: a Solr left running by another checkout would answer the
# pings with a different home (possibly deleted), so it does not count.
ours_up() {
  all_up || return 1
  local home; home=$(serving_home)
  if [[ -n "$home" && "$home" != "${SOLR_HOME%/}" ]]; then
    die "a Solr from another checkout ($home) holds port $SOLR_PORT; stop it (its services/solr.sh stop) or set OGP_SOLR_PORT"
  fi
}

ckan_schema() {
  local f
  f=$("$VENV/bin/python" -c 'import ckan, os; print(os.path.join(os.path.dirname(ckan.__file__), "config", "solr", "schema.xml"))')
  [[ -f "$f" ]] || die "CKAN's schema.xml not found (is CKAN installed in $VENV?)"
  echo "$f"
}

# Writes the solr home: solr.xml plus one core per name. The schema is
# refreshed from the installed CKAN each time; the index data is kept.
make_home() {
  local schema core conf
  schema=$(ckan_schema)
  mkdir -p "$SOLR_HOME"
  cp "$ROOT/services/solr/solr.xml" "$SOLR_HOME/solr.xml"
  for core in $SOLR_CORES; do
    conf="$SOLR_HOME/$core/conf"
    mkdir -p "$conf"
    printf 'name=%s\nconfig=solrconfig.xml\nschema=schema.xml\ndataDir=data\n' "$core" >"$SOLR_HOME/$core/core.properties"
    cp "$ROOT/services/solr/solrconfig.xml" "$conf/solrconfig.xml"
    cp "$schema" "$conf/schema.xml"
    # Files CKAN's schema.xml names in its analysers.
    touch "$conf/synonyms.txt" "$conf/protwords.txt" "$conf/stopwords.txt"
  done
}

# The config set a SolrCloud collection gets: what make_home puts in a core.
cloud_conf() {
  local conf="$SOLR_HOME/conf"
  mkdir -p "$conf"
  cp "$ROOT/services/solr/solrconfig.xml" "$conf/solrconfig.xml"
  cp "$(ckan_schema)" "$conf/schema.xml"
  touch "$conf/synonyms.txt" "$conf/protwords.txt" "$conf/stopwords.txt"
  echo "$conf"
}

cloud_ports() {
  local i ports=()
  for ((i = 0; i < SOLR_NODES; i++)); do ports+=($((SOLR_PORT + i))); done
  (IFS=,; echo "${ports[*]}")
}

cloud_up() { [[ -f "$SOLR_HOME/base/ready" ]] && all_up; }

start_cloud() {
  if [[ -s "$PID_FILE" ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
    cloud_up && return 0
    stop
  fi
  local port conf
  for port in $(cloud_ports | tr , ' '); do
    port_open "$port" && die "port $port is taken by another program; set OGP_SOLR_PORT"
  done
  [[ -s "$RUN_DIR/solr-classpath.txt" ]] || "$ROOT/services/deps.sh"
  rm -rf "$SOLR_HOME/base"
  conf=$(cloud_conf)
  log "Starting SolrCloud: nodes on 127.0.0.1:$(cloud_ports), collections $SOLR_CORES ($SOLR_SHARDS shards x $SOLR_REPLICAS replicas)"
  : >"$SOLR_LOG"
  nohup java -Xms256m -Xmx${OGP_SOLR_HEAP:-1g} -Djava.awt.headless=true \
    -Dsolr.log.dir="$LOG_DIR" -Dsolr.log.muteconsole=true -Dlog4j2.level=WARN \
    -cp "$(cat "$RUN_DIR/solr-classpath.txt")" \
    "$ROOT/services/solr/CloudLauncher.java" "$SOLR_HOME/base" "$conf" "$(cloud_ports)" \
    "$(echo $SOLR_CORES | tr ' ' ,)" "$SOLR_SHARDS" "$SOLR_REPLICAS" \
    >>"$SOLR_LOG" 2>&1 &
  echo $! >"$PID_FILE"
  WAIT_PID=$! wait_until 240 SolrCloud "$SOLR_LOG" cloud_up
}

# node stop|start N: asks the running cluster to stop or start node N and
# waits until it has (the launcher rewrites $SOLR_HOME/base/nodes).
node() {
  local action="$1" n="$2" want
  [[ "$SOLR_MODE" == cloud ]] || die "solr.sh node needs OGP_SOLR_MODE=cloud"
  [[ "$action" == stop ]] && want=stopped || want=running
  touch "$SOLR_HOME/base/control/$action-node-$n"
  WAIT_PID="$(cat "$PID_FILE")" wait_until 180 "node $n $want" "$SOLR_LOG" \
    grep -qx "$n $want" "$SOLR_HOME/base/nodes"
}

start() {
  if [[ "$SOLR_MODE" == cloud ]]; then start_cloud; return; fi
  if ours_up; then return 0; fi
  if [[ -s "$PID_FILE" ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
    # Running but a core is missing (e.g. a new name in OGP_SOLR_CORES): restart.
    stop
  fi
  port_open "$SOLR_PORT" && die "port $SOLR_PORT is taken by another program; set OGP_SOLR_PORT"
  [[ -s "$RUN_DIR/solr-classpath.txt" ]] || "$ROOT/services/deps.sh"
  make_home
  log "Starting Solr on 127.0.0.1:$SOLR_PORT (cores: $SOLR_CORES)"
  : >"$SOLR_LOG"
  nohup java -Xms256m -Xmx${OGP_SOLR_HEAP:-768m} -Djava.awt.headless=true \
    -Dsolr.log.dir="$LOG_DIR" -Dsolr.log.muteconsole=true -Dlog4j2.level=WARN \
    -cp "$(cat "$RUN_DIR/solr-classpath.txt")" \
    "$ROOT/services/solr/SolrLauncher.java" "$SOLR_HOME" "$SOLR_PORT" \
    >>"$SOLR_LOG" 2>&1 &
  echo $! >"$PID_FILE"
  WAIT_PID=$! wait_until 180 Solr "$SOLR_LOG" ours_up
}

stop() {
  if [[ -s "$PID_FILE" ]]; then
    local pid; pid=$(cat "$PID_FILE")
    if kill -0 "$pid" 2>/dev/null; then
      log "Stopping Solr"
      kill "$pid"
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$PID_FILE"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) all_up && echo "Solr ($SOLR_MODE) up at $BASE (cores: $SOLR_CORES)" || { echo "Solr down"; exit 1; } ;;
  node) node "${2:-}" "${3:-}" ;;
  clear)
    curl -fsS "$BASE/$2/update?commit=true" -H 'Content-Type: application/json' -d '{"delete":{"query":"*:*"}}' >/dev/null ;;
  *) echo "usage: $0 start|stop|status|clear CORE|node stop|start N" >&2; exit 2 ;;
esac
