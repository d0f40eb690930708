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
newline='
'
next_line() {
  line=${lines_left%%"$newline"*}
  lines_left=${lines_left#"$line"}
  lines_left=${lines_left#"$newline"}
}
run_id='ann'\''s-run-1'
failed_release=20261203T120000Z-4f1c2e9
failed_reason='health check failed'
history_line='{"action":"push","result":"failed"}'
irreversible_runs='{"at":"2026-12-03T12:01:00Z","release":"20261203T120000Z-4f1c2e9","task":"migrate'\''s"}'
finished_release=20261202T100000Z-2c3d4e5
prune_releases='20261201T080000Z-0a1b2c3
20261202T090000Z-1b2c3d4'
prune_caches=1
# shellcheck disable=SC3013 # dash and bash both have -ef
if [ -n "$failed_release" ] && [ -d "$deploy_to/releases/$failed_release" ] && ! [ "$deploy_to/current" -ef "$deploy_to/releases/$failed_release" ]; then
  if printf '%s\n' "$failed_reason" >"$deploy_to/releases/$failed_release/.deployer-failed" 2>/dev/null; then
    report marked-failed "$failed_release"
  else
    report warning "could not mark release $failed_release failed (.deployer-failed not written: is the disk full?); until it is marked, a rollback may choose it"
  fi
fi
{ { [ -d "$deploy_to/.deployer" ] || mkdir -p "$deploy_to/.deployer"; } && printf '%s\n' "$history_line" >>"$deploy_to/.deployer/history.jsonl"; } \
  || report warning 'could not append to history'
if [ -n "$irreversible_runs" ]; then
  printf '%s\n' "$irreversible_runs" >>"$deploy_to/.deployer/irreversible.jsonl" \
    || report warning 'could not record the irreversible tasks of this run in .deployer/irreversible.jsonl'
fi
hold_lock finish "$run_id"
if [ -n "$finished_release" ]; then
  { { [ ! -L "$deploy_to/.deployer/finished.tmp" ] || rm -f "$deploy_to/.deployer/finished.tmp"; } \
    && printf '%s\n' "$finished_release" >"$deploy_to/.deployer/finished.tmp" \
    && mv -f "$deploy_to/.deployer/finished.tmp" "$deploy_to/.deployer/finished"; } \
    || report warning "could not record in .deployer/finished that release $finished_release finished here: the next push of it runs its after_switch tasks and health check here again"
fi
lines_left=$prune_releases
while [ -n "$lines_left" ]; do
  next_line
  release=$line
  rm -rf "$deploy_to/releases/$release" && report pruned "$release"
done
if [ "$prune_caches" = 1 ]; then
  for environment_dir in "$deploy_to"/envs/*; do
    [ -d "$environment_dir" ] || continue
    environment=${environment_dir##*/}
    [ -f "$deploy_to/envs/.$environment.complete" ] || { rm -rf "$environment_dir"; report pruned-env "$environment"; }
  done
fi
if [ "$prune_caches" = 1 ] && [ -n "$prune_releases" ]; then
  links_read=0
  for complete in "$deploy_to"/envs/.*.complete; do
    [ -f "$complete" ] || continue
    environment=${complete##*/.}; environment=${environment%.complete}
    [ "$links_read" = 1 ] || { links=$(readlink "$deploy_to"/releases/*/* "$deploy_to"/releases/*/.[!.]* 2>/dev/null); links_read=1; }
    case "$newline$links$newline" in
      *"$newline../../envs/$environment$newline"*) ;;
      *) rm -rf "$deploy_to/envs/$environment" "$complete"; report pruned-env "$environment" ;;
    esac
  done
  used_digests=''
  for digest_file in "$deploy_to"/releases/*/.deployer-artifact; do
    [ -f "$digest_file" ] && { digest=''; IFS= read -r digest <"$digest_file"; used_digests="$used_digests$newline$digest"; } 2>/dev/null
  done
  find "$deploy_to/.deployer/artifacts" -maxdepth 1 -type f -mmin +10 2>/dev/null | while read -r artifact; do
    digest=${artifact##*/}; digest=${digest%%.*}
    case "$used_digests$newline" in
      *"$newline$digest$newline"*) ;;
      *) rm -f "$artifact"; report pruned-artifact "$digest" ;;
    esac
  done
fi
run_id='ann'\''s-run-1'
read_lock_holder
if [ "$lock_holder" = "$run_id" ]; then rm -rf "$deploy_to/.deployer/lock" && report lock released; fi
