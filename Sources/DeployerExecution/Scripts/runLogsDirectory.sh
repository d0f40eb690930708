# With no release to log into (a rollback that removes `current`), the logs of
# the steps that follow go to this run's own directory, .deployer/logs/RUN_ID.
logs_dir="$deploy_to/.deployer/logs/$run_id"
