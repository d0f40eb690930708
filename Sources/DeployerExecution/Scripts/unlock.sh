# Releases the deploy lock only if this run (`run_id`) holds it: a run never
# removes another run's lock.
read_lock_holder
if [ "$lock_holder" = "$run_id" ]; then rm -rf "$deploy_to/.deployer/lock" && report lock released; fi
