// DeployerPlanning
