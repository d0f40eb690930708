# Refreshes the lease's heartbeat (renamed into place) while this run
# (`run_id`) still holds the lock; reports `heartbeat lost` otherwise.
read_lock_holder
if [ "$lock_holder" = "$run_id" ]; then
  date +%s >"$deploy_to/.deployer/lock/heartbeat.tmp" \
    && mv -f "$deploy_to/.deployer/lock/heartbeat.tmp" "$deploy_to/.deployer/lock/heartbeat" \
    && report heartbeat ok
else
  report heartbeat lost
fi
