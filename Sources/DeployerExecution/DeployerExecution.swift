// DeployerExecution
