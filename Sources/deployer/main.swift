import DeployerCLI
DeployerCommand.main()
