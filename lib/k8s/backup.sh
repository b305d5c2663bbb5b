#!/bin/sh
# Redis RDB backup, run by the backup CronJob (POSIX sh: busybox and dash both run it).
#
# For every target node:
#   1. BGSAVE SCHEDULE, then wait until the save counter moves and rdb_last_bgsave_status is ok. This proves
#      the node can persist and refreshes its own dump.rdb (the file an in-place restore uses).
#   2. Copy a snapshot off the node with `redis-cli --rdb` (the server forks and streams an RDB,
#      the same mechanism a replica's full sync uses; the node's volume is not mountable elsewhere).
#   3. Check the copy with redis-check-rdb when available, write a .sha256 next to it.
# Then delete this deployment's local backups older than RETENTION_DAYS (never the ones just made).
#
# Environment:
#   REDIS_TARGETS     space-separated host:port list (cluster: one entry per primary), or
#   REDIS_PRIMARY_AMONG  space-separated host:port list of a Sentinel-managed set: back up the node(s)
#                     answering ROLE as master (the job's own user; Sentinel only knows the admin password), or
#   SENTINEL_ADDR     host:port of a Sentinel, with SENTINEL_MASTER (master group name): back up the primary
#   REDISCLI_AUTH     password (read by redis-cli itself; never on the command line)
#   REDIS_USER        ACL user name (optional; default user when empty). The backup role of
#                     lib/policy/roles.ts: PING, INFO, ROLE, LASTSAVE, BGSAVE, SYNC/REPLCONF (for --rdb)
#   TLS_CA            CA file: use TLS and verify the server against it (optional)
#   BACKUP_DIR        where backups go; files are BACKUP_DIR/DEPLOYMENT/<node>/dump-<UTC time>.rdb
#   DEPLOYMENT        deployment name
#   RETENTION_DAYS    keep backups this many days (0: keep only the newest)
#   BGSAVE_TIMEOUT    seconds to wait for BGSAVE (default 3600)
set -eu

: "${BACKUP_DIR:?BACKUP_DIR is required}"
: "${DEPLOYMENT:?DEPLOYMENT is required}"
: "${RETENTION_DAYS:?RETENTION_DAYS is required}"
BGSAVE_TIMEOUT="${BGSAVE_TIMEOUT:-3600}"

log() { echo "backup: $(date -u +%Y-%m-%dT%H:%M:%SZ) $*" >&2; }
fail() { log "ERROR: $*"; exit 1; }

# redis-cli against host $1 port $2 with TLS and user options; the rest are redis-cli arguments.
rcli() {
  host="$1"
  port="$2"
  shift 2
  set -- -h "$host" -p "$port" --no-auth-warning "$@"
  if [ -n "${REDIS_USER:-}" ]; then set -- --user "$REDIS_USER" "$@"; fi
  if [ -n "${TLS_CA:-}" ]; then set -- --tls --cacert "$TLS_CA" "$@"; fi
  redis-cli "$@"
}

info_field() { # host port field
  rcli "$1" "$2" INFO persistence | tr -d '\r' | sed -n "s/^$3://p"
}

resolve_targets() {
  if [ -n "${SENTINEL_ADDR:-}" ]; then
    : "${SENTINEL_MASTER:?SENTINEL_MASTER is required with SENTINEL_ADDR}"
    addr=$(rcli "${SENTINEL_ADDR%:*}" "${SENTINEL_ADDR##*:}" SENTINEL get-master-addr-by-name "$SENTINEL_MASTER" | tr -d '\r' | tr '\n' ':' | sed 's/:$//')
    [ -n "$addr" ] || fail "sentinel $SENTINEL_ADDR does not know master $SENTINEL_MASTER"
    echo "$addr"
  elif [ -n "${REDIS_PRIMARY_AMONG:-}" ]; then
    primaries=""
    for node in $REDIS_PRIMARY_AMONG; do
      role=$(rcli "${node%:*}" "${node##*:}" ROLE 2>/dev/null | head -n 1 | tr -d '\r') || role=""
      if [ "$role" = master ]; then primaries="$primaries $node"; fi
    done
    [ -n "$primaries" ] || fail "no node of $REDIS_PRIMARY_AMONG answers ROLE as master"
    echo "$primaries"
  else
    [ -n "${REDIS_TARGETS:-}" ] || fail "set REDIS_TARGETS, REDIS_PRIMARY_AMONG or SENTINEL_ADDR"
    echo "$REDIS_TARGETS"
  fi
}

backup_node() { # host port
  host="$1"
  port="$2"
  waited=0
  while :; do
    # rdb_saves (Redis >= 7.0) counts completed saves; LASTSAVE has only one-second resolution.
    before=$(info_field "$host" "$port" rdb_saves)
    case "$before" in '' | *[!0-9]*) fail "$host:$port: INFO persistence has no rdb_saves (got '$before'); Redis 7 or later is required" ;; esac
    reply=$(rcli "$host" "$port" BGSAVE SCHEDULE | tr -d '\r')
    case "$reply" in
      "Background saving started" | "Background saving scheduled") break ;;
      # A save the node started itself (save rules, a replica's sync, another backup) is running and
      # BGSAVE refuses a second one: it may predate the newest writes, so wait for it and ask again.
      *"Background save already in progress"*) ;;
      *) fail "$host:$port: BGSAVE answered '$reply'" ;;
    esac
    [ "$waited" -lt "$BGSAVE_TIMEOUT" ] || fail "$host:$port: a save stayed in progress for ${BGSAVE_TIMEOUT}s; no BGSAVE of our own started"
    sleep 1
    waited=$((waited + 1))
  done
  while :; do
    now=$(info_field "$host" "$port" rdb_saves)
    if [ "$now" -gt "$before" ] && [ "$(info_field "$host" "$port" rdb_bgsave_in_progress)" = 0 ]; then break; fi
    [ "$waited" -lt "$BGSAVE_TIMEOUT" ] || fail "$host:$port: BGSAVE did not finish in ${BGSAVE_TIMEOUT}s"
    sleep 1
    waited=$((waited + 1))
  done
  status=$(info_field "$host" "$port" rdb_last_bgsave_status)
  [ "$status" = ok ] || fail "$host:$port: rdb_last_bgsave_status is '$status'"
  log "$host:$port: BGSAVE ok after ${waited}s"

  dir="$BACKUP_DIR/$DEPLOYMENT/$(echo "$host" | cut -d. -f1)-$port"
  mkdir -p "$dir"
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  tmp="$dir/.dump-$stamp.rdb.part"
  rcli "$host" "$port" --rdb "$tmp" >/dev/null 2>&1 || { rm -f "$tmp"; fail "$host:$port: redis-cli --rdb failed"; }
  [ -s "$tmp" ] || { rm -f "$tmp"; fail "$host:$port: empty snapshot"; }
  if command -v redis-check-rdb >/dev/null 2>&1; then
    redis-check-rdb "$tmp" >/dev/null 2>&1 || { rm -f "$tmp"; fail "$host:$port: redis-check-rdb rejected the snapshot"; }
  fi
  file="$dir/dump-$stamp.rdb"
  mv "$tmp" "$file"
  (cd "$dir" && sha256sum "dump-$stamp.rdb" >"dump-$stamp.rdb.sha256")
  echo "$file" >>"$BACKUP_DIR/.made-$$"
  log "$host:$port: wrote $file ($(wc -c <"$file") bytes)"
}

prune() {
  root="$BACKUP_DIR/$DEPLOYMENT"
  [ -d "$root" ] || return 0
  minutes=$((RETENTION_DAYS * 1440))
  find "$root" -type f -name 'dump-*.rdb' -mmin "+$minutes" | while read -r old; do
    if grep -qxF "$old" "$BACKUP_DIR/.made-$$"; then continue; fi
    rm -f "$old" "$old.sha256"
    log "pruned $old (older than $RETENTION_DAYS days)"
  done
}

mkdir -p "$BACKUP_DIR"
: >"$BACKUP_DIR/.made-$$"
trap 'rm -f "$BACKUP_DIR/.made-$$"' EXIT
# An assignment, so that set -e stops the script when resolving fails (a for-list would not).
targets=$(resolve_targets)
for target in $targets; do
  backup_node "${target%:*}" "${target##*:}"
done
prune
log "done: $(wc -l <"$BACKUP_DIR/.made-$$") snapshot(s)"
