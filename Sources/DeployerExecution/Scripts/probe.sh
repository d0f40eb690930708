# The probe: read-only. Reports `current`, every release with its state, its
# marker, the release it followed and whether a rollback left it; the lock;
# the artifacts and complete environments present; and the release whose run
# finished on this host (.deployer/finished, read only when it is a plain file);
# the irreversible tasks that ran (.deployer/irreversible.jsonl).
# At the end of a lock script, `lock_lease` is the lease that script just
# wrote when it took the lock: reported without reading it back.
if cd "$deploy_to" 2>/dev/null; then
  read_current_release current releases
  if [ "$current_is_link" = 1 ]; then report current "$current_release"; fi
  for release_dir in releases/*/; do
    # A release replaced by a symbolic link is no release: never switched to, never pruned.
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
  # Every line of every marker (one line of JSON each), read by the shell: no process started.
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
  # The rollback guard's record: every irreversible task that ran, one line of JSON each (a plain file only).
  if [ -f .deployer/irreversible.jsonl ] && [ ! -L .deployer/irreversible.jsonl ]; then
    while IFS= read -r line || [ -n "$line" ]; do report irreversible "$line"; done <.deployer/irreversible.jsonl
  fi
  # Maintenance mode: on while .deployer/maintenance exists (one line of JSON: since, by, run).
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
