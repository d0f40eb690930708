# The prepare phase of a push on one host, in one script: checks the
# artifact's SHA-256 (`digest`: the copy received with the script, in
# `upload`, when `receives_artifact` is 1, then kept in the store; else the
# one kept there by an earlier push), refuses to go on when a shared file is
# missing, extracts the artifact into the new release `release`, writes
# `revision` and `revision_time` (none when empty), links the shared paths
# (`shared_dirs` and `shared_files`, one a line), then the script goes on with
# `build_environment` for each environment, the prepare tasks and the checks,
# and ends with `write_release_marker` (`marker_json`). Nothing outside
# releases/ID, shared/, envs/ and .deployer/ changes.

release_dir="$deploy_to/releases/$release"
logs_dir="$release_dir/.deployer-logs"
artifact="$deploy_to/.deployer/artifacts/$digest.tar.gz"

if [ "$receives_artifact" = 1 ]; then
  [ -f "${upload:-}" ] || fail 'the artifact did not arrive' 2
  received_sha256=$(sha256sum <"$upload") || fail 'reading the artifact back' 2
  [ "$received_sha256" = "$digest  -" ] || {
    echo "SHA-256 on the host: ${received_sha256%% *}" >&2
    fail 'the artifact arrived corrupted (discarded; retry, and if it happens again check the disk and memory of the host)' 3
  }
  mv -f "$upload" "$artifact" || fail 'storing the artifact' 1
  report uploaded
else
  [ -f "$artifact" ] || fail 'artifact missing on host' 1
  # Verified again right before extraction: a copy uploaded by an earlier run may have changed since.
  [ "$(sha256sum <"$artifact")" = "$digest  -" ] \
    || { rm -f "$artifact"; fail 'artifact SHA-256 mismatch (the copy on this host changed since its upload; removed)' 1; }
fi

# Checked before anything is extracted: a missing file would otherwise be
# linked as a dangling or empty file. The lists, one path a line, are taken
# apart by next_line (Scripts/lines.sh).
missing_files=''
lines_left=$shared_files
while [ -n "$lines_left" ]; do
  next_line
  shared_path=$line
  [ -e "$deploy_to/shared/$shared_path" ] || missing_files="$missing_files${missing_files:+, }$deploy_to/shared/$shared_path"
done
[ -z "$missing_files" ] || fail "missing shared file(s): $missing_files" 1

# Every directory in one mkdir: each process started costs a host with many
# releases and many peers. A shared directory, and the directory a shared file
# is in, exist under shared/ and (for the link) in the release.
set -- "$deploy_to/envs" "$deploy_to/shared" "$logs_dir"
lines_left=$shared_dirs
while [ -n "$lines_left" ]; do
  next_line
  shared_path=$line
  set -- "$@" "$deploy_to/shared/$shared_path"
  case $shared_path in */*) set -- "$@" "$release_dir/${shared_path%/*}" ;; esac
done
lines_left=$shared_files
while [ -n "$lines_left" ]; do
  next_line
  shared_path=$line
  case $shared_path in */*) set -- "$@" "$deploy_to/shared/${shared_path%/*}" "$release_dir/${shared_path%/*}" ;; esac
done
[ ! -e "$release_dir" ] || rm -rf "$release_dir" || fail setup 1
mkdir -p "$@" || fail setup 1
tar -xzf "$artifact" -C "$release_dir" 2>"$deploy_to/.deployer/extract.log" || fail extract $? "$deploy_to/.deployer/extract.log"
# A kept artifact's mtime says it is in use (the cache prune spares the young); one just received is new.
[ "$receives_artifact" = 1 ] || touch "$artifact"
printf '%s\n' "$digest" >"$release_dir/.deployer-artifact" || fail extract 1
# What Capistrano writes and many apps read: the commit id and its time, one line each.
[ -z "$revision" ] || printf '%s\n' "$revision" >"$release_dir/REVISION" || fail extract 1
[ -z "$revision_time" ] || printf '%s\n' "$revision_time" >"$release_dir/REVISION_TIME" || fail extract 1

# Each shared path linked into the release, relatively (valid in a chroot or
# another mount point): one ../ for each part of the path, and one for releases/.
lines_left="$shared_dirs${shared_dirs:+$newline}$shared_files"
while [ -n "$lines_left" ]; do
  next_line
  shared_path=$line
  up_to_deploy_to='../'
  path_rest=$shared_path
  while :; do
    up_to_deploy_to="$up_to_deploy_to../"
    case $path_rest in */*) path_rest=${path_rest#*/} ;; *) break ;; esac
  done
  if [ -e "$release_dir/$shared_path" ] || [ -L "$release_dir/$shared_path" ]; then
    rm -rf "${release_dir:?}/$shared_path" || fail "link shared $shared_path" 1
  fi
  ln -s "${up_to_deploy_to}shared/$shared_path" "$release_dir/$shared_path" || fail "link shared $shared_path" 1
done

# build_environment NAME DIRECTORY SECONDS COMMAND: the dependency environment
# NAME in envs/DIRECTORY, reused when an earlier build completed it, else built
# by COMMAND (in the release, limited to SECONDS when not empty), then linked
# into the release as NAME. A failed build's directory is removed at once: it
# is never reused, and may be large.
build_environment() {
  environment_dir="$deploy_to/envs/$2"
  environment_log="$logs_dir/env-$1.log"
  if [ -f "$deploy_to/envs/.$2.complete" ]; then
    report env "$1" "$environment_dir" reused
  else
    { rm -rf "$environment_dir" && mkdir -p "$environment_dir"; } || fail "env:$1" 1
    report task-start prepare "env:$1"
    # shellcheck disable=SC2086 # `timeout SECONDS` and the command runner are each a command and its arguments
    ( cd "$release_dir" && exec ${3:+timeout $3} ${command_runner:-sh -c} "$4" ) </dev/null >"$environment_log" 2>&1
    build_status=$?
    report task-end prepare "env:$1" "$build_status"
    [ "$build_status" -eq 0 ] || { rm -rf "$environment_dir"; report pruned-env "$2"; fail "env:$1" "$build_status" "$environment_log"; }
    : >"$deploy_to/envs/.$2.complete"
    report env "$1" "$environment_dir" built
  fi
  { rm -rf "${release_dir:?}/$1" && ln -s "../../envs/$2" "$release_dir/$1"; } || fail "env:$1" 1
}

# write_release_marker: the marker, written last (renamed into place), says the
# release is complete.
write_release_marker() {
  { printf '%s\n' "$marker_json" >"$release_dir/.deployer-release.json.tmp" \
    && mv -f "$release_dir/.deployer-release.json.tmp" "$release_dir/.deployer-release.json"; } || fail 'write release marker' 1
  report prepared "$release"
}
