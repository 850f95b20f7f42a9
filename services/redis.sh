#!/usr/bin/env bash
# Redis on 127.0.0.1:$OGP_REDIS_PORT (default 6379).   redis.sh start | stop | status
source "$(dirname "$0")/lib.sh"

is_up() { [[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == "PONG" ]]; }

case "${1:-}" in
  start)
    is_up && exit 0
    log "Starting Redis on 127.0.0.1:$REDIS_PORT"
    mkdir -p "$RUN_DIR/redis"
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes \
      --dir "$RUN_DIR/redis" --save "" --appendonly no \
      --pidfile "$RUN_DIR/redis/redis.pid" --logfile "$LOG_DIR/redis.log"
    wait_until 30 Redis "$LOG_DIR/redis.log" is_up ;;
  stop)
    is_up && { log "Stopping Redis"; redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true; } ;;
  status) is_up && echo "Redis up on 127.0.0.1:$REDIS_PORT" || { echo "Redis down"; exit 1; } ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
