// DeployerReporting
