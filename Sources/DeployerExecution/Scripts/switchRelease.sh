# Points `current` at the release `release` atomically (a new symbolic link
# renamed over the old one, so `current` never dangles or disappears), under
# this run's lock (`run_id`; the step `switch_step` fails without it), and
# reports `switched FROM TO`; the after_switch or after_rollback tasks follow,
# in the release.
#
# `switch_kind` says what the switch is. A push or rollback records in the
# release which one was current before it (.deployer-previous), and a rollback
# marks the release it leaves (.deployer-rolled-back): a plain rollback follows
# the first and skips the second. A revert (switching back a failed batch)
# records nothing: the host returns to where it was.
hold_lock "$switch_step" "$run_id"
release_dir="$deploy_to/releases/$release"
logs_dir="$release_dir/.deployer-logs"
if [ ! -f "$release_dir/.deployer-release.json" ] || [ -e "$release_dir/.deployer-failed" ]; then
  fail "switch: release $release is not complete on this host" 1
fi
read_current_release "$deploy_to/current" "$deploy_to/releases"
# Until this run's finish step records it, the host runs its new release
# unfinished: emptied by the shell (no process), a link there left alone (the
# probe ignores one).
[ -L "$deploy_to/.deployer/finished" ] || [ ! -s "$deploy_to/.deployer/finished" ] || : >"$deploy_to/.deployer/finished"
new_current="$deploy_to/.current.$run_id"
if ! { ln -sfn "releases/$release" "$new_current" && mv -T "$new_current" "$deploy_to/current"; }; then
  rm -f "$new_current"
  fail switch 1
fi
report switched "$current_release" "$release"
[ ! -e "$release_dir/.deployer-rolled-back" ] || rm -f "$release_dir/.deployer-rolled-back"
if [ "$switch_kind" != revert ]; then
  if [ -n "$current_release" ] && [ "$current_release" != "$release" ]; then
    printf '%s\n' "$current_release" >"$release_dir/.deployer-previous"
  elif [ -z "$current_release" ] && [ -e "$release_dir/.deployer-previous" ]; then
    rm -f "$release_dir/.deployer-previous"
  fi
fi
if [ "$switch_kind" = rollback ] && [ -n "$current_release" ] && [ "$current_release" != "$release" ] \
  && [ -d "$deploy_to/releases/$current_release" ]; then
  : >"$deploy_to/releases/$current_release/.deployer-rolled-back"
fi
[ -d "$logs_dir" ] || mkdir -p "$logs_dir" || fail switch 1
