# How a run ends on one host, in one round trip: marks a failed attempt's
# release (`failed_release`, with `failed_reason`; none when empty), appends
# `history_line` to the history (and `irreversible_runs` to the irreversible
# journal), records the release this run finished here
# (`finished_release`; none leaves .deployer/finished as it is: the switch
# emptied it, so a host switched and not finished is never taken for done),
# prunes the releases `prune_releases` names (release ids, one a line)
# and, with `prune_caches` 1, the environments no release links to and the
# artifacts no release came from; the unlock script follows.

# Unmarked, the release looks complete and a rollback could choose it: say so
# when the mark cannot be written. The release `current` points at is never
# marked (a host that runs it unfinished, switched back to it).
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
# The irreversible tasks this run started on any host (`irreversible_runs`, one
# line of JSON each; none when empty), recorded on this host too: a rollback's
# guard then finds them on every host, not only where they ran.
if [ -n "$irreversible_runs" ]; then
  printf '%s\n' "$irreversible_runs" >>"$deploy_to/.deployer/irreversible.jsonl" \
    || report warning 'could not record the irreversible tasks of this run in .deployer/irreversible.jsonl'
fi
# A run that lost its lock records its own release failed, its history and its
# irreversible tasks, and nothing else: no finished mark, no pruning, no unlock.
hold_lock finish "$run_id"
# Renamed into place: never half-written, and a link there is replaced, never written through.
if [ -n "$finished_release" ]; then
  { { [ ! -L "$deploy_to/.deployer/finished.tmp" ] || rm -f "$deploy_to/.deployer/finished.tmp"; } \
    && printf '%s\n' "$finished_release" >"$deploy_to/.deployer/finished.tmp" \
    && mv -f "$deploy_to/.deployer/finished.tmp" "$deploy_to/.deployer/finished"; } \
    || report warning "could not record in .deployer/finished that release $finished_release finished here: the next push of it runs its after_switch tasks and health check here again"
fi
# One release id a line (the probe reports one a line: none holds a newline),
# taken apart by next_line (Scripts/lines.sh).
lines_left=$prune_releases
while [ -n "$lines_left" ]; do
  next_line
  release=$line
  rm -rf "$deploy_to/releases/$release" && report pruned "$release"
done
if [ "$prune_caches" = 1 ]; then
  # An env without its .complete mark was left by a build that died (this run holds the lock: none is under way).
  for environment_dir in "$deploy_to"/envs/*; do
    [ -d "$environment_dir" ] || continue
    environment=${environment_dir##*/}
    [ -f "$deploy_to/envs/.$environment.complete" ] || { rm -rf "$environment_dir"; report pruned-env "$environment"; }
  done
fi
# Only files older than ten minutes: an upload of another run may be in flight (uploads precede the lock).
if [ "$prune_caches" = 1 ] && [ -n "$prune_releases" ]; then
  # The links of every release, read (one process) only when there is an environment to check.
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
  # Each release's digest file (one line) read by the shell.
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
