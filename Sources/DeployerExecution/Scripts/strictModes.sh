# Like OpenSSH's StrictModes, for the directories deployer writes through:
# deploy_to, .deployer/ and releases/ must each be a directory owned by the
# login user or root and writable by no one else, else the host fails before
# anything changes, naming the path, its owner and mode, and the fix. Another
# user who can write there could swap a release (and have `rollback` run their
# script as the deploy user) or plant links that redirect deployer's writes.
#
# deployer makes no symbolic link inside .deployer/, so one there (or in
# artifacts/ or logs/) fails the host instead of being written through; `lock`
# itself is left to the lock script, which never follows it (a lock that is not
# a plain directory is a malformed lock).
#
# Costs one `stat` for the paths that exist (ownership by the shell's -O);
# missing ones are made by the lock script, writable by their owner only.
for path in "$deploy_to/.deployer" "$deploy_to/releases"; do
  [ -L "$path" ] && fail "$path is a symbolic link, which deployer never makes: writes there would land elsewhere; if you did not make it, remove it (rm $path) and find out who did" 1
done
set --; for path in "$deploy_to" "$deploy_to/.deployer" "$deploy_to/releases"; do [ -e "$path" ] && set -- "$@" "$path"; done
if [ $# -gt 0 ]; then
  owners_and_modes=$(stat -L -c '%u/%a/%U' "$@") || fail "cannot read the owner and mode of $*" 1
  for entry in $owners_and_modes; do
    path=$1; shift; uid=${entry%%/*}; entry=${entry#*/}; mode=${entry%%/*}; owner=${entry#*/}
    [ -d "$path" ] || fail "$path is not a directory (mode $mode, owner $owner); move it away" 1
    [ "$uid" = 0 ] || [ -O "$path" ] || fail "$path is owned by $owner, not by the login user $(id -un) (mode $mode): $owner could swap releases or plant links deployer would write through; as root: chown $(id -un) $path" 1
    [ $(( 0$mode & 022 )) = 0 ] || fail "$path is group- or world-writable (mode $mode, owner $owner): other users could swap releases or plant links deployer would write through; run: chmod go-w $path" 1
  done
fi
for path in "$deploy_to/.deployer/"* "$deploy_to/.deployer/".[!.]* "$deploy_to/.deployer/artifacts/"* "$deploy_to/.deployer/logs/"*; do
  [ "$path" != "$deploy_to/.deployer/lock" ] && [ -L "$path" ] && fail "$path is a symbolic link, which deployer never makes inside .deployer: it would write through it; if you did not make it, remove it (rm $path) and find out who did" 1
done
