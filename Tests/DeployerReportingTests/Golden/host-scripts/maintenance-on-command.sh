set -u
deploy_to='/srv/my app'
lock_ttl_limit=86400
report() { printf '::deployer %s\n' "$*"; }
fail() {
  report failed "$1" "$2"
  if [ -n "${3:-}" ] && [ -f "$3" ]; then tail -n 20 "$3" >&2; fi
  { df -P "$deploy_to"; df -Pi "$deploy_to"; } 2>/dev/null \
    | awk 'NR % 2 == 0 && $4 == "0" { print "No space left on device: " $6 " is full"; exit }' >&2
  fail_status=$2
  [ "$fail_status" -gt 0 ] 2>/dev/null || fail_status=1
  exit "$fail_status"
}
newlog() { (umask 077 && : >"$1") && chmod 600 "$1"; }
masklog() {
  [ -n "${DEPLOYER_SECRETS:-}" ] && [ -f "$1" ] || return 0
  awk 'BEGIN { n = split(ENVIRON["DEPLOYER_SECRETS"], k, " ") }
    { for (i = 1; i <= n; i++) { v = ENVIRON[k[i]]; if (v == "") continue; o = "";
        while ((p = index($0, v)) > 0) { o = o substr($0, 1, p - 1) "****"; $0 = substr($0, p + length(v)) }
        $0 = o $0 } print }' "$1" >"$1.masked" && cat "$1.masked" >"$1"
  rm -f "$1.masked"
}
# shellcheck disable=SC2034,SC3013 # it sets variables for its caller; dash and bash both have -ef
read_current_release() {
  current_release=''
  current_is_link=0
  [ -L "$1" ] || return 0
  current_is_link=1
  matches=0
  for candidate in "$2"/*/; do
    if [ "$1" -ef "$candidate" ]; then current_release=${candidate%/}; matches=$((matches + 1)); fi
  done
  if [ "$matches" = 1 ] && [ ! -L "$current_release" ]; then
    current_release=${current_release##*/}
  elif current_release=$(readlink "$1" 2>/dev/null); then
    current_release=${current_release##*/}
  else
    current_is_link=0
  fi
}
# shellcheck disable=SC2034 # it sets variables for its caller
read_lock_age() {
  heartbeat=''
  lock_ttl=''
  if [ -d "$1" ] && [ ! -L "$1" ]; then
    if [ -f "$1/ttl" ] && [ ! -L "$1/ttl" ]; then { IFS= read -r lock_ttl <"$1/ttl"; } 2>/dev/null; fi
    if [ -f "$1/heartbeat" ] && [ ! -L "$1/heartbeat" ]; then
      { IFS= read -r heartbeat <"$1/heartbeat"; } 2>/dev/null
    elif [ -e "$1/heartbeat" ] || [ -L "$1/heartbeat" ]; then
      heartbeat=0
    fi
    [ -n "$heartbeat" ] || heartbeat=$(stat -c %Y "$1" 2>/dev/null) || heartbeat=''
  fi
  now=$(date +%s)
  case $heartbeat in '' | *[!0-9]* | 0?*) heartbeat=0 ;; esac
  [ "$heartbeat" -le "$now" ] 2>/dev/null || heartbeat=0
  case $lock_ttl in '' | *[!0-9]* | 0*) lock_ttl=$2 ;; esac
  [ "$lock_ttl" -le "$lock_ttl_limit" ] 2>/dev/null || lock_ttl=$lock_ttl_limit
  lock_age=$((now - heartbeat))
}
# shellcheck disable=SC2034 # it sets a variable for its caller
read_lock_holder() {
  lock_holder=''
  if [ -f "$deploy_to/.deployer/lock/run" ]; then { IFS= read -r lock_holder <"$deploy_to/.deployer/lock/run"; } 2>/dev/null; fi
}
hold_lock() {
  read_lock_holder
  if [ "$lock_holder" != "$2" ]; then
    if [ -n "$lock_holder" ]; then lock_lost="run $lock_holder took it over"; else lock_lost='it was removed'; fi
    fail "$1: this run no longer holds the lock on this host (its lease went stale and $lock_lost); nothing more was done here" 1
  fi
}
maintenance_step='maintenance on'
uses_command=1
maintenance_command='./bin/maintenance on'
maintenance_state='{"by":"ann","runID":"ann'\''s-run-1","since":"2026-12-03T12:00:00Z"}'
maintenance_log="$deploy_to/.deployer/maintenance.log"
maintenance_flag="$deploy_to/shared/maintenance.on"
mkdir -p "$deploy_to/.deployer" || fail "$maintenance_step" 1
if [ "$uses_command" = 1 ]; then
  # shellcheck disable=SC2086 # the command runner is a command and its arguments
  ( cd "$deploy_to" && exec ${command_runner:-sh -c} "$maintenance_command" ) </dev/null >"$maintenance_log" 2>&1 \
    || fail "$maintenance_step" $? "$maintenance_log"
elif [ -n "$maintenance_state" ]; then
  { mkdir -p "$deploy_to/shared" && : >"$maintenance_flag"; } || fail "$maintenance_step" 1
else
  rm -f "$maintenance_flag" || fail "$maintenance_step" 1
fi
if [ -n "$maintenance_state" ]; then
  printf '%s\n' "$maintenance_state" >"$deploy_to/.deployer/maintenance" || fail "$maintenance_step" 1
else
  rm -f "$deploy_to/.deployer/maintenance" || fail "$maintenance_step" 1
fi
