import DeployerCLI

await DeployerCommand.runAsMain()
