# A drain or undrain hook on its own host, part of the rollout script:
# `hook_name` (drain or undrain) runs `hook_command` by the recipe's shell in
# deploy_to, its output (secrets masked) in `$logs_dir/NAME.log`. It reports
# `hook-start NAME` and `hook-end NAME STATUS`; a failure stops the script with
# the log's last lines, so a host whose drain failed is never switched.
hook_log="$logs_dir/$hook_name.log"
[ -d "$logs_dir" ] || mkdir -p "$logs_dir" || fail "$hook_name hook" 1
report hook-start "$hook_name"
newlog "$hook_log"
# shellcheck disable=SC2086 # the command runner is a command and its arguments
( cd "$deploy_to" && exec ${command_runner:-sh -c} "$hook_command" ) </dev/null >"$hook_log" 2>&1
hook_status=$?
masklog "$hook_log"
report hook-end "$hook_name" "$hook_status"
[ "$hook_status" -eq 0 ] || fail "$hook_name hook" "$hook_status" "$hook_log"
