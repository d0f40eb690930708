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
release=20261203T120000Z-4f1c2e9
release_dir="$deploy_to/releases/$release"
logs_dir="$release_dir/.deployer-logs"
task_output_lines=''
check_output_lines=40
check_output_columns=300
# shellcheck disable=SC2120,SC2163 # its arguments (often none) are the assignments export is given
enter_task() {
  cd "$release_dir" || return
  while [ $# -gt 0 ]; do export "$1" || return; shift; done
}
task_exec() {
  cd "$release_dir" || exit
  # shellcheck disable=SC2163 # each argument is an assignment for export
  while [ $# -gt 2 ]; do export "$1" || exit; shift; done
  # shellcheck disable=SC2086 # `timeout SECONDS` and the command runner are each a command and its arguments
  exec ${1:+timeout $1} ${command_runner:-sh -c} "$2"
}
task_succeeds() {
  guard_command=$1
  shift
  ( task_exec "$@" '' "$guard_command" ) </dev/null >/dev/null 2>&1
}
nothing_pending() { [ -e "$logs_dir/$1.nothing-pending" ]; }
record_irreversible() {
  printf '{"at":"%s","release":"%s","task":%s}\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${release_dir##*/}" "$2" \
    >>"$deploy_to/.deployer/irreversible.jsonl" || fail "record irreversible $1" 1
}
run_task() {
  task_phase=$1
  task_name=$2
  task_seconds=$3
  task_command=$4
  shift 4
  task_log="$logs_dir/$task_name.log"
  report task-start "$task_phase" "$task_name"
  newlog "$task_log"
  ( task_exec "$@" "$task_seconds" "$task_command" ) </dev/null >"$task_log" 2>&1
  task_status=$?
  masklog "$task_log"
  if [ -n "${task_output_lines:-}" ]; then
    log_lines=$(awk 'END { print NR }' "$task_log")
    [ "$log_lines" -le "$task_output_lines" ] \
      || report task-output "($((log_lines - task_output_lines)) earlier lines are in ${logs_dir#"$deploy_to"/}/$task_name.log on the host)"
    tail -n "$task_output_lines" "$task_log" | while IFS= read -r line || [ -n "$line" ]; do report task-output "$line"; done
    task_log=''
  fi
  report task-end "$task_phase" "$task_name" "$task_status"
  [ "$task_status" -eq 0 ] || fail "$task_name" "$task_status" "$task_log"
}
forget_check() { rm -f "$logs_dir/$1.nothing-pending"; }
run_check() {
  check_phase=$1
  check_name=$2
  check_seconds=$3
  check_command=$4
  shift 4
  check_log="$logs_dir/$check_name.check.log"
  check_failure="the check of task '$check_name' (exit 0: nothing pending, 1: work pending; any other status is a failure)"
  newlog "$check_log"
  ( task_exec "$@" "$check_seconds" "$check_command" ) </dev/null >"$check_log" 2>&1
  check_status=$?
  masklog "$check_log"
  case $check_status in
    0) : >"$logs_dir/$check_name.nothing-pending" || fail "$check_failure" 1 ;;
    1) head -n "$check_output_lines" "$check_log" | cut -c "1-$check_output_columns" \
         | while IFS= read -r line; do report check-output "$check_name" "$line"; done ;;
    *) fail "$check_failure" "$check_status" "$check_log" ;;
  esac
  report check "$check_phase" "$check_name" "$check_status"
}
ask_check() {
  check_phase=$1
  check_name=$2
  check_seconds=$3
  check_command=$4
  shift 4
  ( task_exec "$@" "$check_seconds" "$check_command" ) </dev/null >/dev/null 2>&1
  report check "$check_phase" "$check_name" $?
}
in_current_release() { [ -d "$deploy_to/current" ] && release_dir="$deploy_to/current"; }
guards_from_deploy_to() { release_dir="$deploy_to"; [ -d "$release_dir" ] || release_dir=/; }
task_logs_directory() {
  [ -z "${2:-}" ] || logs_dir="$deploy_to/$2"
  mkdir -p "$logs_dir" || fail "$1" 1
}
release_or_deploy_to() { [ -d "$release_dir" ] || release_dir="$deploy_to"; }
release_or_deploy_to
task_logs_directory on_failure .deployer/on_failure
run_task on_failure page '' './bin/page '\''push failed'\'''
