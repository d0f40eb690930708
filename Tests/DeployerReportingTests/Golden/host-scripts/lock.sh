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
for path in "$deploy_to/.deployer" "$deploy_to/releases"; do
  [ -L "$path" ] && fail "$path is a symbolic link, which deployer never makes: writes there would land elsewhere; if you did not make it, remove it (rm $path) and find out who did" 1
done
set --; for path in "$deploy_to" "$deploy_to/.deployer" "$deploy_to/releases"; do [ -e "$path" ] && set -- "$@" "$path"; done
if [ $# -gt 0 ]; then
  owners_and_modes=$(stat -L -c '%u/%a/%U' "$@") || fail "cannot read the owner and mode of $*" 1
  for entry in $owners_and_modes; do
    path=$1; shift; uid=${entry%%/*}; entry=${entry#*/}; mode=${entry%%/*}; owner=${entry#*/}
    [ -d "$path" ] || fail "$path is not a directory (mode $mode, owner $owner); move it away" 1
    [ "$uid" = 0 ] || [ -O "$path" ] || fail "$path is owned by $owner, not by the login user $(id -un) (mode $mode): $owner could swap releases or plant links deployer would write through; as root: chown $(id -un) $path" 1
    [ $(( 0$mode & 022 )) = 0 ] || fail "$path is group- or world-writable (mode $mode, owner $owner): other users could swap releases or plant links deployer would write through; run: chmod go-w $path" 1
  done
fi
for path in "$deploy_to/.deployer/"* "$deploy_to/.deployer/".[!.]* "$deploy_to/.deployer/artifacts/"* "$deploy_to/.deployer/logs/"*; do
  [ "$path" != "$deploy_to/.deployer/lock" ] && [ -L "$path" ] && fail "$path is a symbolic link, which deployer never makes inside .deployer: it would write through it; if you did not make it, remove it (rm $path) and find out who did" 1
done
run_id='ann'\''s-run-1'
lease_json='{"run":"ann'\''s-run-1","user":"ann"}'
lease_ttl=600
break_stale=1
broken_history_line='{"action":"break_lock"}'
unless_revision=4f1c2e9
unless_fingerprint=fp-recipe
unless_release_fingerprint=fp-release
lock_lease=''
skip_lock=0
# shellcheck disable=SC3013 # dash and bash both have -ef
if [ -n "$unless_revision" ] && [ ! -d "$deploy_to/.deployer/lock" ] && [ -L "$deploy_to/current" ] \
  && current_marker='' && { IFS= read -r current_marker <"$deploy_to/current/.deployer-release.json" || [ -n "$current_marker" ]; } 2>/dev/null \
  && case $current_marker in *"\"revision\":\"$unless_revision\""*) true ;; *) false ;; esac \
  && [ ! -L "$deploy_to/.deployer/finished" ] && finished_here='' \
  && { IFS= read -r finished_here <"$deploy_to/.deployer/finished"; } 2>/dev/null && [ -n "$finished_here" ] \
  && [ "$deploy_to/current" -ef "$deploy_to/releases/$finished_here" ]; then
  case $current_marker in
    *"\"fingerprint\":\"$unless_fingerprint\""*) skip_lock=1 ;;
    *"\"releaseFingerprint\":\"$unless_release_fingerprint\""*) [ -z "$unless_release_fingerprint" ] || skip_lock=1 ;;
  esac
fi
take_lock() {
  lock_lease=$lease_json
  { printf '%s\n' "$run_id" >"$deploy_to/.deployer/lock/run" \
    && printf '%s\n' "$lease_ttl" >"$deploy_to/.deployer/lock/ttl" \
    && printf '%s\n' "$lock_lease" >"$deploy_to/.deployer/lock/info.json" \
    && date +%s >"$deploy_to/.deployer/lock/heartbeat"; } \
    || { rm -rf "$deploy_to/.deployer/lock"; fail lock 1; }
}
stale_lock="$deploy_to/.deployer/lock.stale.$run_id"
if [ "$skip_lock" = 1 ]; then
  report lock skipped
else
  [ -d "$deploy_to/.deployer/artifacts" ] && [ -d "$deploy_to/releases" ] \
    || (umask 022 && mkdir -p "$deploy_to/.deployer/artifacts" "$deploy_to/releases") || fail lock 1
  if mkdir_error=$(mkdir "$deploy_to/.deployer/lock" 2>&1) \
    || { [ ! -e "$deploy_to/.deployer/lock" ] && [ ! -L "$deploy_to/.deployer/lock" ] && mkdir_error=$(mkdir "$deploy_to/.deployer/lock" 2>&1); }; then
    take_lock
    report lock acquired
  elif [ ! -e "$deploy_to/.deployer/lock" ] && [ ! -L "$deploy_to/.deployer/lock" ]; then
    printf '%s\n' "$mkdir_error" >&2
    fail lock 1
  else
    read_lock_age "$deploy_to/.deployer/lock" "$lease_ttl"
    if [ "$break_stale" = 1 ] && [ "$lock_age" -gt "$lock_ttl" ] && mv "$deploy_to/.deployer/lock" "$stale_lock" 2>/dev/null \
      && mkdir "$deploy_to/.deployer/lock" 2>/dev/null; then
      take_lock
      broken_lease=''
      [ -f "$stale_lock/info.json" ] && [ ! -L "$stale_lock" ] && [ ! -L "$stale_lock/info.json" ] \
        && { IFS= read -r broken_lease <"$stale_lock/info.json"; report broke "$broken_lease"; }
      printf '%s\n' "$broken_history_line" >>"$deploy_to/.deployer/history.jsonl"
      rm -rf "$stale_lock"
      report lock broken
    elif [ "$break_stale" = 1 ] && [ "$lock_age" -gt "$lock_ttl" ] && [ -e "$deploy_to/.deployer/lock" ] && [ ! -L "$deploy_to/.deployer/lock" ]; then
      fail "the stale lock $deploy_to/.deployer/lock cannot be moved aside by $(id -un) ($(stat -c 'owner %U, mode %a' "$deploy_to/.deployer/lock")); as its owner or root: rm -rf $deploy_to/.deployer/lock" 1
    else
      report lock held
    fi
  fi
fi
if cd "$deploy_to" 2>/dev/null; then
  read_current_release current releases
  if [ "$current_is_link" = 1 ]; then report current "$current_release"; fi
  for release_dir in releases/*/; do
    if [ ! -d "$release_dir" ] || [ -L "${release_dir%/}" ]; then continue; fi
    release=${release_dir%/}
    release=${release##*/}
    if [ -e "$release_dir.deployer-failed" ]; then report release "$release" failed
    elif [ -f "$release_dir.deployer-release.json" ]; then report release "$release" good
    else report release "$release" incomplete; fi
    if [ -e "$release_dir.deployer-rolled-back" ]; then report rolled-back "$release"; fi
    if [ -f "$release_dir.deployer-previous" ]; then
      previous=''
      IFS= read -r previous <"$release_dir.deployer-previous"
      report previous "$release" "$previous"
    fi
  done
  for marker in releases/*/.deployer-release.json; do
    [ -f "$marker" ] || continue
    release=${marker%/*}
    release=${release##*/}
    while IFS= read -r line || [ -n "$line" ]; do report marker "$release" "$line"; done <"$marker"
  done
  if [ -n "${lock_lease:-}" ]; then
    report lock-age 0
    report lock-info "$lock_lease"
  elif [ -e .deployer/lock ] || [ -L .deployer/lock ]; then
    read_lock_age .deployer/lock 0
    report lock-age "$lock_age"
    if [ ! -L .deployer/lock ] && [ -f .deployer/lock/info.json ] && [ ! -L .deployer/lock/info.json ]; then
      lease=''
      IFS= read -r lease <.deployer/lock/info.json
      report lock-info "$lease"
    fi
  fi
  for artifact in .deployer/artifacts/*.tar.gz; do
    [ -f "$artifact" ] || continue
    artifact=${artifact##*/}
    report artifact "${artifact%.tar.gz}"
  done
  for environment in envs/.*.complete; do
    [ -f "$environment" ] || continue
    environment=${environment##*/.}
    report env-present "${environment%.complete}"
  done
  if [ -f .deployer/irreversible.jsonl ] && [ ! -L .deployer/irreversible.jsonl ]; then
    while IFS= read -r line || [ -n "$line" ]; do report irreversible "$line"; done <.deployer/irreversible.jsonl
  fi
  if [ -f .deployer/maintenance ] && [ ! -L .deployer/maintenance ]; then
    line=''
    IFS= read -r line <.deployer/maintenance || [ -n "$line" ]
    report maintenance "$line"
  fi
  if [ -f .deployer/finished ] && [ -s .deployer/finished ] && [ ! -L .deployer/finished ]; then
    finished=''
    IFS= read -r finished <.deployer/finished
    report finished "$finished"
  fi
fi
true
