import DeployerCLI

/// In an async function the async `main` of AsyncParsableCommand is chosen;
/// at top level the synchronous one would be, and it refuses async commands.
func runDeployer() async { await DeployerCommand.main() }

await runDeployer()
