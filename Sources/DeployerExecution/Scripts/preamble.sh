# The preamble of every script deployer runs on a host (HostScripts): the
# functions its scripts report, fail and read state with. Each script is sent
# as one command's standard input: a whole step costs one round trip.
#
# Values come from Swift, each written as a shell-quoted assignment right
# before the template that uses it (HostScriptTemplate.render); none is ever
# put on a command line. Their names, here and nowhere else:
#
#   deploy_to       the environment's deploy_to: every path is built from it
#                   (set before this preamble)
#   lock_ttl_limit  the longest lease a lock is believed for (LockState.maximumTTLSeconds)
#   run_id          the id of this run, as its lock records it (.deployer/lock/run)
#   history_line    one line of JSON appended to .deployer/history.jsonl
#
# lock.sh: lease_json (the lease written to .deployer/lock/info.json),
#   lease_ttl (its seconds), break_stale (1: a stale lock is broken),
#   broken_history_line (recorded when it is), unless_revision,
#   unless_fingerprint, unless_release_fingerprint (a host that runs and
#   finished that release is not locked; none when empty)
# finish.sh: failed_release, failed_reason (a failed attempt's release is
#   marked; none when empty), finished_release (recorded as finished here;
#   none when empty), irreversible_runs (lines of JSON for
#   .deployer/irreversible.jsonl; none when empty), prune_releases (release ids, one a line), prune_caches
#   (1: unused environments and artifacts go too)
# sharedPutSetup.sh, sharedPut.sh: shared_parent, artifact_store; shared_path,
#   digest (the file's SHA-256), mode
# prepare.sh: release (the new release's id), digest (the artifact's SHA-256),
#   receives_artifact (1: it came with the script), shared_dirs, shared_files
#   (paths under shared/, one a line), revision, revision_time (written to
#   REVISION and REVISION_TIME; none when empty), marker_json (the release
#   marker, written last)
# switchRelease.sh: release (the release `current` is to point at),
#   switch_kind (push, rollback or revert), switch_step (the step that fails
#   when this run no longer holds the lock: switch or revert)
# releaseDirectories.sh: release (the release the tasks that follow run in)
# runLogsDirectory.sh: (run_id only)
# hook.sh, hookCommand.sh: hook_name (drain or undrain), hook_command (the
#   recipe's command)
# healthCheck.sh: health_grace, health_attempts, health_interval,
#   health_timeout (seconds), health_command (the probe as a command), or
#   health_url, health_expected_status and health_unix_socket (the probe by
#   HTTP; the URL and socket are recipe values, each assigned as one shell word
#   so that a secret in them is expanded here), health_output_bytes,
#   health_output_lines (how much of a failed try's output is reported)
# removeCurrent.sh: none
# maintenance.sh: maintenance_step (maintenance on or off), uses_command (1:
#   the recipe's maintenance_command, else the flag file), maintenance_state
#   (one line of JSON; empty when turning it off)
# lines.sh (before prepare.sh and finish.sh): none; its next_line takes their
#   one-a-line lists apart
# runner.sh (a command, not a script: no preamble): artifact_store
# tasks.sh (once, before a script's first task, guard or check):
#   task_output_lines (`deployer task`: how many of the last lines of a task's
#   log are sent back; empty otherwise), check_output_lines,
#   check_output_columns (how much of the output of a check that found work
#   pending is reported)
#
# Names set before a script runs: command_runner (the command the recipe's
# commands run under, RemoteShell.commandRunner; `sh -c` when unset), upload
# (the file that came with the script, set by the runner), and the secrets,
# exported, with DEPLOYER_SECRETS naming them.
#
# Names a script sets for the next part of it: lock_lease (the lease a lock
# script took, which its probe reports); release_dir and logs_dir (the
# release directory the tasks run in and the directory of their logs, set by
# prepare.sh, switchRelease.sh, releaseDirectories.sh and runLogsDirectory.sh).
#
# Scripts report as `::deployer KIND ARGS...` lines on standard output
# (ScriptMarker parses them): progress, findings, and the failure that ends them.

# report KIND ARGS...: one marker line.
report() { printf '::deployer %s\n' "$*"; }

# fail WHAT STATUS [LOG]: reports the failure, prints the last lines of LOG on
# standard error, says so when deploy_to's filesystem has no block or inode
# left (a full disk loses the very log that would tell), and exits with STATUS
# (1 when it is no positive number).
fail() {
  report failed "$1" "$2"
  if [ -n "${3:-}" ] && [ -f "$3" ]; then tail -n 20 "$3" >&2; fi
  { df -P "$deploy_to"; df -Pi "$deploy_to"; } 2>/dev/null \
    | awk 'NR % 2 == 0 && $4 == "0" { print "No space left on device: " $6 " is full"; exit }' >&2
  fail_status=$2
  [ "$fail_status" -gt 0 ] 2>/dev/null || fail_status=1
  exit "$fail_status"
}

# newlog FILE: an empty log readable by the login user only (logs of tasks,
# hooks and health checks may hold secrets).
newlog() { (umask 077 && : >"$1") && chmod 600 "$1"; }

# masklog FILE: each secret's value in FILE written as ****. The values are
# read from the environment (DEPLOYER_SECRETS names them), never from arguments.
masklog() {
  [ -n "${DEPLOYER_SECRETS:-}" ] && [ -f "$1" ] || return 0
  awk 'BEGIN { n = split(ENVIRON["DEPLOYER_SECRETS"], k, " ") }
    { for (i = 1; i <= n; i++) { v = ENVIRON[k[i]]; if (v == "") continue; o = "";
        while ((p = index($0, v)) > 0) { o = o substr($0, 1, p - 1) "****"; $0 = substr($0, p + length(v)) }
        $0 = o $0 } print }' "$1" >"$1.masked" && cat "$1.masked" >"$1"
  rm -f "$1.masked"
}

# read_current_release LINK RELEASES: sets current_release to the last part of
# LINK's target (for `current`: the release it points at) and current_is_link
# to 1 when LINK is a symbolic link ('' and 0 otherwise), as readlink would,
# without starting it when the link leads to exactly one directory under
# RELEASES that is no link itself (the target deployer writes); readlink reads
# any other.
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

# read_lock_age LOCK DEFAULT_TTL: sets lock_age (seconds since the heartbeat of
# the lock at LOCK) and lock_ttl (its lease), reading its files only when they
# are plain files in a plain directory: a link or a FIFO there is never
# followed or read (a FIFO would hang the read). A lock deployer did not make
# in that shape counts as stale, so --break-stale-lock and `deployer unlock`
# can clear it: no heartbeat and no directory time, a heartbeat that is no
# number or lies in the future (runs stamp it with this host's clock); a lease
# past lock_ttl_limit is cut to it, one that is no number is DEFAULT_TTL.
# shellcheck disable=SC2034 # it sets variables for its caller
read_lock_age() {
  heartbeat=''
  lock_ttl=''
  if [ -d "$1" ] && [ ! -L "$1" ]; then
    if [ -f "$1/ttl" ] && [ ! -L "$1/ttl" ]; then { IFS= read -r lock_ttl <"$1/ttl"; } 2>/dev/null; fi
    # No heartbeat (yet, or being written): a run that has just made the lock; the directory's time stands in.
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

# read_lock_holder: sets lock_holder to the id of the run holding the lock
# (the first line of its `run` file), or ''.
# shellcheck disable=SC2034 # it sets a variable for its caller
read_lock_holder() {
  lock_holder=''
  if [ -f "$deploy_to/.deployer/lock/run" ]; then { IFS= read -r lock_holder <"$deploy_to/.deployer/lock/run"; } 2>/dev/null; fi
}

# hold_lock STEP RUN: fails STEP unless run RUN still holds the lock. A
# run whose lease went stale (its controller stopped or stuck) and was taken
# over by another run, or removed, must not switch or finish on top of what the
# other run did: its steps were already under way when it lost the lock.
hold_lock() {
  read_lock_holder
  if [ "$lock_holder" != "$2" ]; then
    if [ -n "$lock_holder" ]; then lock_lost="run $lock_holder took it over"; else lock_lost='it was removed'; fi
    fail "$1: this run no longer holds the lock on this host (its lease went stale and $lock_lost); nothing more was done here" 1
  fi
}
