# The Capistrano-style release, as one remote POSIX shell script. Shared by the
# OpenSSH floor (artifact on stdin), Fabric and parallel-ssh (artifact uploaded
# first, path in ARTIFACT). The caller prepends the variables:
#   MODE=push|rollback|probe  D=/srv/bench-TOOL  ID=<release id>  ARTIFACT=-|<remote path>
# End state after a push, identical for every tool:
#   D/releases/ID/...            the extracted 2 MB app (VERSION, tmp/, assets/)
#   D/releases/ID/logs -> ../../shared/logs
#   D/current -> releases/ID     switched atomically (ln -sfn tmp && mv -T)
#   D/current/tmp/restart.txt    touched when current changed ("restart")
#   at most 5 releases kept, never the current one removed
# A push of a release that is already current changes nothing (no-op).
set -eu
mkdir -p "$D/releases" "$D/shared/logs"
cd "$D"
case "$MODE" in
push)
  r="releases/$ID"
  if [ -f "$r/VERSION" ]; then
    [ "$ARTIFACT" = - ] && cat >/dev/null
    [ "$ARTIFACT" = - ] || rm -f "$ARTIFACT"
  else
    rm -rf "$r"
    mkdir -p "$r"
    if [ "$ARTIFACT" = - ]; then tar -xzf - -C "$r"; else tar -xzf "$ARTIFACT" -C "$r" && rm -f "$ARTIFACT"; fi
  fi
  [ "$(readlink "$r/logs" 2>/dev/null || true)" = ../../shared/logs ] || ln -sfn ../../shared/logs "$r/logs"
  if [ "$(readlink current 2>/dev/null || true)" != "$r" ]; then
    ln -sfn "$r" current.tmp && mv -T current.tmp current
    touch current/tmp/restart.txt
    echo "switched to $ID"
  else
    echo "already on $ID"
  fi
  cur=$(basename "$(readlink current)")
  ls -1 releases | sort | head -n -5 | while read -r old; do
    [ "$old" = "$cur" ] || rm -rf "releases/$old"
  done
  ;;
rollback)
  cur=$(basename "$(readlink current)")
  prev=$(ls -1 releases | sort | awk -v c="$cur" '$0 == c { print p; exit } { p = $0 }')
  [ -n "$prev" ] || { echo "no release before $cur" >&2; exit 1; }
  ln -sfn "releases/$prev" current.tmp && mv -T current.tmp current
  touch current/tmp/restart.txt
  echo "rolled back to $prev"
  ;;
probe)
  # What a plan needs to know: current release, releases present, whether ID is there.
  echo "current $(readlink current 2>/dev/null || echo none)"
  echo "releases $(ls -1 releases | tr '\n' ' ')"
  if [ -f "releases/$ID/VERSION" ]; then echo "release $ID present"; else echo "release $ID would be uploaded"; fi
  ;;
*) echo "unknown MODE $MODE" >&2; exit 2 ;;
esac
