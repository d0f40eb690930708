import ArgumentParser

/// Exit codes, scriptable in CI (README, "Exit codes").
extension ExitCode {
    /// The deploy failed; hosts were left on a known release, and the output says which.
    public static let deployFailed = ExitCode(1)
    /// Usage or recipe error: nothing was touched.
    public static let usageOrRecipe = ExitCode(2)
    /// Another run holds the deploy lock.
    public static let lockHeld = ExitCode(3)
    /// One or more hosts could not be reached or authenticated.
    public static let unreachable = ExitCode(4)
    /// The saved plan no longer matches the hosts.
    public static let planDrift = ExitCode(5)
    /// `deployer plan --detailed-exitcode`: a push would change something.
    public static let planHasChanges = ExitCode(10)
}
