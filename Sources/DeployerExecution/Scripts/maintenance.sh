# Turns maintenance mode on or off on one host (the step `maintenance_step`:
# `maintenance on` or `maintenance off`), in deploy_to: the recipe's
# `maintenance_command` when `uses_command` is 1 (run by the recipe's shell,
# its output in .deployer/maintenance.log), else the flag file
# shared/maintenance.on, made when `maintenance_state` is set and removed when
# it is empty. Then .deployer/maintenance, which says that it is on (`deployer
# status`), is written with `maintenance_state` (one line of JSON) or removed.
# Turning it off twice is harmless.
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
