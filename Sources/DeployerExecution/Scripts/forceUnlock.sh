# Removes whatever lock there is (`deployer unlock`), recording who did it
# (`history_line`). Whatever form the lock has (a directory, a file, a link),
# it goes; a link is removed, never followed.
if [ -e "$deploy_to/.deployer/lock" ] || [ -L "$deploy_to/.deployer/lock" ]; then
  broken_lease=''
  [ ! -L "$deploy_to/.deployer/lock" ] && [ -f "$deploy_to/.deployer/lock/info.json" ] && [ ! -L "$deploy_to/.deployer/lock/info.json" ] \
    && { IFS= read -r broken_lease <"$deploy_to/.deployer/lock/info.json"; report broke "$broken_lease"; }
  rm -rf "$deploy_to/.deployer/lock" || fail unlock 1
  printf '%s\n' "$history_line" >>"$deploy_to/.deployer/history.jsonl"
  report lock released
fi
