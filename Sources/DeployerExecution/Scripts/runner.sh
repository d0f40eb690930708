# The command a script that comes with a file (the prepare script and its
# artifact, a file put under shared/) runs under: the same text on every host
# and every push, so that it can be started on a spare channel while the lock
# script runs. Not a script on standard input, so no preamble: its one value
# is `artifact_store`, the directory uploads land in.
#
# Standard input is a line with a byte count, that many bytes of the file,
# then the script, which this shell reads to the end (`. /dev/stdin`: no
# second shell started when standard input is a pipe, as from sshd; else
# `sh -s`). The file (none is 0) is read with head -c, which never reads past
# it, into `upload` (exported for that `sh -s`); the script checks it and moves
# it into place, and whatever is left of it is removed when the script ends.
IFS= read -r upload_bytes || exit 2
case $upload_bytes in
  '' | *[!0-9]*) exit 2 ;;
  0) ;;
  *)
    upload="$artifact_store/incoming.deployer-upload.$$"; export upload
    trap '[ ! -e "$upload" ] || rm -f "$upload"' EXIT
    (umask 077; exec head -c "$upload_bytes" >"$upload") || { echo '::deployer failed writing the artifact 2'; exit 2; }
    ;;
esac
# shellcheck source=/dev/null # the script that follows the file on standard input
if [ -p /dev/stdin ]; then . /dev/stdin; else sh -s; fi
