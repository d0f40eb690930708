# Puts the file received with the script (`$upload`, see the runner) at
# shared/`shared_path`: its SHA-256 checked against `digest`, its mode set to
# `mode`, then renamed over the old one (a reader sees the old or the new
# file, never a part), and `history_line` added to the host's history. The
# contents are never printed.
[ -f "${upload:-}" ] || fail 'the file did not arrive' 2
received_sha256=$(sha256sum <"$upload") || fail 'reading the file back' 2
[ "$received_sha256" = "$digest  -" ] || fail 'the file arrived corrupted (discarded; retry)' 3
[ ! -d "$deploy_to/shared/$shared_path" ] || [ -L "$deploy_to/shared/$shared_path" ] || fail "shared/$shared_path is a directory" 1
{ chmod "$mode" "$upload" && mv -f "$upload" "$deploy_to/shared/$shared_path"; } || fail "cannot write shared/$shared_path" 1
printf '%s\n' "$history_line" >>"$deploy_to/.deployer/history.jsonl" || fail 'cannot write the history' 1
