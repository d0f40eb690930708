artifact_store='/srv/my app/.deployer/artifacts'
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
