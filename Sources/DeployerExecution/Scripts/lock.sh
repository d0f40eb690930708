# Takes the deploy lock with an atomic mkdir (the probe follows, so the facts
# a run acts on are read under its lock). Reports `lock acquired`, `lock held`,
# or `lock broken` when `break_stale` is 1 and the holder's heartbeat is older
# than its lease (then `broken_history_line` is recorded).
#
# With `unless_revision` set, an unlocked host whose current release has that
# revision and the fingerprint `unless_fingerprint` (or, when set,
# `unless_release_fingerprint`: the recipe's apart from its hosts), and
# finished there (.deployer/finished names it), is not locked (`lock skipped`):
# a no-op push costs one round trip.
#
# The lease this run writes is `lease_json`, for `lease_ttl` seconds; once
# taken, `lock_lease` holds it for the probe, which reports it without reading
# it back.
lock_lease=''
skip_lock=0
# The marker is one line of JSON (written with printf '%s\n'): read once, matched by the shell.
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

# take_lock: writes this run's lease into the lock directory it has just
# made. A lease that cannot be written in full (a full disk) is no lock:
# removed, and the step fails.
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
  # Made writable by their owner only, whatever the umask: the next run's strict modes check them.
  [ -d "$deploy_to/.deployer/artifacts" ] && [ -d "$deploy_to/releases" ] \
    || (umask 022 && mkdir -p "$deploy_to/.deployer/artifacts" "$deploy_to/releases") || fail lock 1
  # A lock released between a failed mkdir and the check that follows is free: mkdir again, once.
  if mkdir_error=$(mkdir "$deploy_to/.deployer/lock" 2>&1) \
    || { [ ! -e "$deploy_to/.deployer/lock" ] && [ ! -L "$deploy_to/.deployer/lock" ] && mkdir_error=$(mkdir "$deploy_to/.deployer/lock" 2>&1); }; then
    take_lock
    report lock acquired
  # Not there and not made: a read-only or full disk, or no permission; never "held".
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
    # A stale lock this login cannot move aside (another owner's directory without write permission).
    elif [ "$break_stale" = 1 ] && [ "$lock_age" -gt "$lock_ttl" ] && [ -e "$deploy_to/.deployer/lock" ] && [ ! -L "$deploy_to/.deployer/lock" ]; then
      fail "the stale lock $deploy_to/.deployer/lock cannot be moved aside by $(id -un) ($(stat -c 'owner %U, mode %a' "$deploy_to/.deployer/lock")); as its owner or root: rm -rf $deploy_to/.deployer/lock" 1
    else
      report lock held
    fi
  fi
fi
