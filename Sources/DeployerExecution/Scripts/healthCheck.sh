# The health check of a host in a rolling switch, after the switch and its
# tasks: waits `health_grace` seconds (none when 0), then tries up to
# `health_attempts` times, `health_interval` seconds apart, each try limited to
# `health_timeout` seconds. The probe is `health_command`, run by the recipe's
# shell in the release (healthy when it exits 0), or, when `health_url` is set,
# curl from the host to that URL, through the socket `health_unix_socket` when
# that is set (healthy when the HTTP status is `health_expected_status`). The
# URL may hold a secret: it reaches curl as its config on standard input
# (`url = "…"`, with \ and " escaped), written by the shell's printf builtin,
# never on a command line.
#
# A failed try reports its outcome as its first line (`HTTP status 500,
# expected 200`, `no answer: …`, `exit status 7`, `timed out after 10 s`), then
# the first `health_output_bytes` bytes of the response body or the command's
# output, at most `health_output_lines` lines in all (`health-output ATTEMPT
# LINE`), then `health ATTEMPT ATTEMPTS failed`; a try that passes reports
# `health ATTEMPT ATTEMPTS ok`. The last failed try stops the script: a sick
# host is never undrained. Each try reported its outcome and output, so the
# failure adds no copy of the last one.
health_log="$logs_dir/health.log"
if [ "$health_attempts" = 1 ]; then health_tries='1 attempt'; else health_tries="$health_attempts attempts"; fi
if [ -n "$health_unix_socket" ]; then set -- --unix-socket "$health_unix_socket"; else set --; fi
[ "$health_grace" = 0 ] || sleep "$health_grace"
health_attempt=1
while :; do
  if [ -z "$health_url" ]; then
    newlog "$logs_dir/health.out"; newlog "$health_log"
    # shellcheck disable=SC2086 # the command runner is a command and its arguments
    ( cd "$release_dir" && exec timeout "$health_timeout" ${command_runner:-sh -c} "$health_command" ) </dev/null >"$logs_dir/health.out" 2>&1
    health_status=$?
    masklog "$logs_dir/health.out"
    if [ "$health_status" -eq 124 ]; then echo "timed out after $health_timeout s"; else echo "exit status $health_status"; fi >"$health_log"
    head -c "$health_output_bytes" "$logs_dir/health.out" >>"$health_log"
  else
    newlog "$health_log"; newlog "$logs_dir/health.body"; newlog "$logs_dir/health.err"
    http_status=$(cd "$release_dir" && printf '%s\n' "$health_url" | sed 's/[\\"]/\\&/g; s/^/url = "/; s/$/"/' \
      | curl -sS -K - -o "$logs_dir/health.body" -w '%{http_code}' --max-time "$health_timeout" "$@" 2>"$logs_dir/health.err")
    health_status=$?
    masklog "$logs_dir/health.err"; masklog "$logs_dir/health.body"
    if [ "$http_status" = "$health_expected_status" ]; then
      health_status=0
    else
      if [ "$health_status" -ne 0 ]; then
        echo "no answer: $(head -n 1 "$logs_dir/health.err")"
      else
        echo "HTTP status $http_status, expected $health_expected_status"
      fi >"$health_log"
      head -c "$health_output_bytes" "$logs_dir/health.body" >>"$health_log" 2>/dev/null
      [ "$health_status" -ne 0 ] || health_status=1
    fi
  fi
  masklog "$health_log"
  if [ "$health_status" -eq 0 ]; then report health "$health_attempt" "$health_attempts" ok; break; fi
  head -n "$health_output_lines" "$health_log" | while IFS= read -r output_line; do report health-output "$health_attempt" "$output_line"; done
  report health "$health_attempt" "$health_attempts" failed
  [ "$health_attempt" -lt "$health_attempts" ] || fail "health check failed after $health_tries" "$health_status"
  sleep "$health_interval"
  health_attempt=$((health_attempt + 1))
done
