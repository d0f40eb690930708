# A drain or undrain hook run away from its host's rollout script (on another
# host, by HookRunner): `hook_command` alone, by `sh -c` in the directory the
# login starts in, with its errors in its output so that a failure can show
# their last lines.
exec sh -c "$hook_command" </dev/null 2>&1
