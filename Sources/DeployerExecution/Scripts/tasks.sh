# The functions that run the recipe's tasks on a host, their guards and their
# checks, for the scripts that have tasks (prepare, switch, rollout, before_switch,
# on_failure, `deployer task`, and the plan probe's guards). Swift writes one
# short call per task and guard (HostScripts+Tasks.swift): the task's name, its
# command and its env, each one shell word; a command is never evaluated here,
# only given as one argument to the recipe's shell (`command_runner`, else
# `sh -c`). A task runs in `release_dir` with its log in `logs_dir`.
#
# Its values: `task_output_lines` (not empty for `deployer task`: each task's
# log, masked, is sent back as its last that many lines, `task-output LINE`,
# and a failure prints no copy of it), `check_output_lines` and
# `check_output_columns` (how much of a check that found work pending is
# reported, as `check-output NAME LINE`).
#
# A task's env comes as trailing NAME=VALUE arguments, exported only in the
# subshell that runs it. A command and its limit reach `task_exec` ahead of the
# exports as arguments, never through a variable: an env NAME may be any name.

# enter_task [NAME=VALUE...]: into `release_dir`, with each NAME=VALUE
# exported. For a subshell: it changes the directory and the environment.
# shellcheck disable=SC2120,SC2163 # its arguments (often none) are the assignments export is given
enter_task() {
  cd "$release_dir" || return
  while [ $# -gt 0 ]; do export "$1" || return; shift; done
}

# task_exec [NAME=VALUE...] SECONDS COMMAND: becomes COMMAND run by the
# recipe's shell in the task's directory and env (`enter_task`), limited to
# SECONDS when not empty (status 124 when they run out). For a subshell: it
# ends in exec, or exits with the status of what failed first.
task_exec() {
  cd "$release_dir" || exit
  # shellcheck disable=SC2163 # each argument is an assignment for export
  while [ $# -gt 2 ]; do export "$1" || exit; shift; done
  # shellcheck disable=SC2086 # `timeout SECONDS` and the command runner are each a command and its arguments
  exec ${1:+timeout $1} ${command_runner:-sh -c} "$2"
}

# task_succeeds COMMAND [NAME=VALUE...]: true when COMMAND (an `unless` or
# `only_if` guard) exits 0 in the task's directory and env; its output goes
# nowhere and it has no time limit.
task_succeeds() {
  guard_command=$1
  shift
  ( task_exec "$@" '' "$guard_command" ) </dev/null >/dev/null 2>&1
}

# nothing_pending NAME: true when the check of task NAME, run at the end of
# prepare (`run_check`), found nothing pending in this release.
nothing_pending() { [ -e "$logs_dir/$1.nothing-pending" ]; }

# record_irreversible NAME JSON_NAME: records, as the `irreversible: true` task
# NAME (JSON_NAME: its name as a JSON string) starts, that it ran for the
# release in `release_dir`, by this host's clock, in .deployer/irreversible.jsonl:
# before its command runs, so a controller that dies during the task leaves the
# record behind. A record that cannot be written stops the task from running
# (the rollback guard would not know of it).
record_irreversible() {
  printf '{"at":"%s","release":"%s","task":%s}\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${release_dir##*/}" "$2" \
    >>"$deploy_to/.deployer/irreversible.jsonl" || fail "record irreversible $1" 1
}

# run_task PHASE NAME SECONDS COMMAND [NAME=VALUE...]: runs task NAME of PHASE
# (`task_exec`), its output in `logs_dir`/NAME.log (secrets masked), between
# `task-start PHASE NAME` and `task-end PHASE NAME STATUS`; a failure stops the
# script with the log's last lines (with `task_output_lines`, the log's tail is
# reported first, see above).
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

# forget_check NAME: removes the answer an earlier run of task NAME's check
# left in this release, before the check is asked again (or skipped with its
# task).
forget_check() { rm -f "$logs_dir/$1.nothing-pending"; }

# run_check PHASE NAME SECONDS COMMAND [NAME=VALUE...]: runs the check COMMAND
# of task NAME of PHASE like the task (`task_exec`), its output in
# `logs_dir`/NAME.check.log (masked). Exit 0 leaves the answer
# `nothing_pending` reads; 1 (work pending) reports the output's first lines;
# both report `check PHASE NAME STATUS`. Any other status fails the script.
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

# ask_check PHASE NAME SECONDS COMMAND [NAME=VALUE...]: for `deployer plan
# --run-guards`, runs the check COMMAND of task NAME of PHASE in the release
# in `release_dir` and reports only `check PHASE NAME STATUS`: its output goes
# nowhere (nothing is written on the host, and a plan prints no command output).
ask_check() {
  check_phase=$1
  check_name=$2
  check_seconds=$3
  check_command=$4
  shift 4
  ( task_exec "$@" "$check_seconds" "$check_command" ) </dev/null >/dev/null 2>&1
  report check "$check_phase" "$check_name" $?
}

# in_current_release: true, with `release_dir` the release `current` points
# at, when there is one (a plan asks checks there: the new release does not
# exist yet).
in_current_release() { [ -d "$deploy_to/current" ] && release_dir="$deploy_to/current"; }

# guards_from_deploy_to: `release_dir` set to deploy_to (/ when it does not
# exist yet), where a plan runs the guards it may: the new release does not
# exist.
guards_from_deploy_to() { release_dir="$deploy_to"; [ -d "$release_dir" ] || release_dir=/; }

# task_logs_directory PHASE [DIRECTORY]: the logs of the tasks that follow go to
# DIRECTORY under deploy_to when given (tasks run on demand or on failure keep
# them out of the release), else to `logs_dir`; made when missing (PHASE fails
# when it cannot be).
task_logs_directory() {
  [ -z "${2:-}" ] || logs_dir="$deploy_to/$2"
  mkdir -p "$logs_dir" || fail "$1" 1
}

# release_or_deploy_to: on_failure tasks run in the release when it was
# extracted, else in deploy_to.
release_or_deploy_to() { [ -d "$release_dir" ] || release_dir="$deploy_to"; }
