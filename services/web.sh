#!/usr/bin/env bash
# The portal's production processes for one CKAN config file:
#   - gunicorn serving CKAN (services/wsgi.py) with $OGP_WEB_WORKERS workers
#     on 127.0.0.1:PORT, and
#   - $OGP_JOB_WORKERS CKAN background-job workers (`ckan jobs worker`, Redis),
#   - with OGP_HARVEST=1 (the portal), ckanext-harvest's gather and fetch
#     consumers and a loop running `ckan harvester run` every
#     $OGP_HARVEST_EVERY seconds (default 60: starts the jobs a sysadmin or a
#     source's schedule asked for, and marks finished ones).
# Both run in the background; pid files and logs go to .run/<name>/ and
# .run/log/<name>-*.log.
#   web.sh start INI PORT NAME   start both (no-op for what already runs)
#   web.sh stop NAME             stop both
#   web.sh status NAME           list the processes, exit 1 if something is down
source "$(dirname "$0")/lib.sh"

WEB_WORKERS="${OGP_WEB_WORKERS:-3}"
JOB_WORKERS="${OGP_JOB_WORKERS:-1}"

pids_dir() { echo "$RUN_DIR/$1"; }
alive() { [[ -s "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

health() {  # health PORT: CKAN answers its status action
  curl -fsS -m 5 "http://127.0.0.1:$1/api/3/action/status_show" 2>/dev/null | grep -q '"success": *true'
}

start() {
  local ini="$1" port="$2" name="$3" dir i
  [[ -f "$ini" ]] || die "no CKAN config at $ini"
  dir=$(pids_dir "$name"); mkdir -p "$dir"
  if ! alive "$dir/gunicorn.pid"; then
    port_open "$port" && die "port $port is taken by another program"
    log "Starting gunicorn ($WEB_WORKERS workers) on http://127.0.0.1:$port ($name)"
    CKAN_INI="$ini" "$VENV/bin/gunicorn" --chdir "$ROOT/services" wsgi:application \
      --bind "127.0.0.1:$port" --workers "$WEB_WORKERS" --timeout 300 \
      --max-requests 2000 --max-requests-jitter 200 \
      --name "ckan-$name" --pid "$dir/gunicorn.pid" --daemon \
      --access-logfile "$LOG_DIR/$name-access.log" --error-logfile "$LOG_DIR/$name-web.log" \
      --capture-output
  fi
  for ((i = 1; i <= JOB_WORKERS; i++)); do
    alive "$dir/jobs-$i.pid" && continue
    log "Starting CKAN jobs worker $i ($name)"
    nohup "$VENV/bin/ckan" -c "$ini" jobs worker >>"$LOG_DIR/$name-jobs.log" 2>&1 &
    echo $! >"$dir/jobs-$i.pid"
  done
  if [[ "${OGP_HARVEST:-0}" == 1 ]]; then
    start_harvest "$ini" "$name" "$dir"
  fi
  WAIT_PID="" wait_until 120 "CKAN on port $port" "$LOG_DIR/$name-web.log" health "$port"
}

start_harvest() {  # start_harvest INI NAME DIR
  local ini="$1" name="$2" dir="$3" consumer
  for consumer in gather fetch; do
    alive "$dir/harvest-$consumer.pid" && continue
    log "Starting the harvest $consumer consumer ($name)"
    nohup "$VENV/bin/ckan" -c "$ini" harvester "$consumer-consumer" \
      >>"$LOG_DIR/$name-harvest.log" 2>&1 &
    echo $! >"$dir/harvest-$consumer.pid"
  done
  if ! alive "$dir/harvest-run.pid"; then
    log "Starting the harvest scheduler, every ${OGP_HARVEST_EVERY:-60} s ($name)"
    nohup bash -c 'while true; do "$0" -c "$1" harvester run; sleep "$2"; done' \
      "$VENV/bin/ckan" "$ini" "${OGP_HARVEST_EVERY:-60}" >>"$LOG_DIR/$name-harvest.log" 2>&1 &
    echo $! >"$dir/harvest-run.pid"
  fi
}

stop() {
  local dir f pid
  dir=$(pids_dir "$1")
  for f in "$dir"/gunicorn.pid "$dir"/jobs-*.pid "$dir"/harvest-*.pid; do
    [[ -s "$f" ]] || continue
    pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null; then
      log "Stopping $(basename "$f" .pid) ($1)"
      kill -TERM "$pid"
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$f"
  done
}

status() {
  local dir ok=0 f pid
  dir=$(pids_dir "$1")
  for f in "$dir"/gunicorn.pid "$dir"/jobs-*.pid "$dir"/harvest-*.pid; do
    [[ "$f" == *"/harvest-*.pid" ]] && continue  # no harvest processes here
    [[ -s "$f" ]] || { ok=1; continue; }
    pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null; then
      # the process and its children (gunicorn's workers, the job's work horse)
      ps -ww -o pid=,ppid=,rss=,args= --pid "$pid" --ppid "$pid" | sed 's/^/  /'
    else
      echo "  $(basename "$f" .pid): not running"; ok=1
    fi
  done
  [[ -e "$dir/gunicorn.pid" ]] || { echo "  gunicorn: not started"; ok=1; }
  return $ok
}

case "${1:-}" in
  start) shift; [[ $# -eq 3 ]] || die "usage: $0 start INI PORT NAME"; start "$@" ;;
  stop) stop "${2:?usage: $0 stop NAME}" ;;
  status) status "${2:?usage: $0 status NAME}" ;;
  *) echo "usage: $0 start INI PORT NAME | stop NAME | status NAME" >&2; exit 2 ;;
esac
