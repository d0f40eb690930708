# The release `release`, where the tasks that follow run (`release_dir`), and
# its logs directory (`logs_dir`).
release_dir="$deploy_to/releases/$release"
logs_dir="$release_dir/.deployer-logs"
