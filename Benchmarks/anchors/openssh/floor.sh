#!/usr/bin/env bash
# The OpenSSH floor: one fresh `ssh` per host, all steps in one remote script,
# the artifact on stdin, every host at once with `xargs -P`.
#   floor.sh adhoc    SSH_CONFIG HOSTS_FILE
#   floor.sh push     SSH_CONFIG HOSTS_FILE DEPLOY_TO ID ARTIFACT.tar.gz
#   floor.sh rollback SSH_CONFIG HOSTS_FILE DEPLOY_TO
#   floor.sh probe    SSH_CONFIG HOSTS_FILE DEPLOY_TO ID      (the floor's "plan")
# HOSTS_FILE: one ssh_config alias per line. Output lines are prefixed "alias: ".
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mode=$1 config=$2 hosts_file=$3
n=$(grep -c . "$hosts_file")
case "$mode" in
adhoc)
  remote='uname -a'
  input=/dev/null ;;
push)
  remote="MODE=push D=$4 ID=$5 ARTIFACT=-; $(cat "$here/release.sh")"
  input=$6 ;;
rollback)
  remote="MODE=rollback D=$4 ID= ARTIFACT=-; $(cat "$here/release.sh")"
  input=/dev/null ;;
probe)
  remote="MODE=probe D=$4 ID=$5 ARTIFACT=-; $(cat "$here/release.sh")"
  input=/dev/null ;;
*) echo "floor.sh: unknown mode $mode" >&2; exit 2 ;;
esac
export remote input config
# bash for pipefail: a failed ssh fails its xargs slot even though sed prefixes its output.
# shellcheck disable=SC2016
xargs -P "$n" -n 1 bash -c 'set -o pipefail
ssh -F "$config" -o KexAlgorithms=curve25519-sha256 -o BatchMode=yes -o ConnectTimeout=20 "$1" "$remote" <"$input" | sed "s/^/$1: /"' bash <"$hosts_file"
