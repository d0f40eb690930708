// DeployerLoading
