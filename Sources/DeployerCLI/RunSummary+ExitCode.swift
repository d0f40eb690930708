import ArgumentParser
import DeployerModel

extension RunSummary.Result {
    /// The documented exit code of a run that ended this way.
    var exitCode: ExitCode {
        switch self {
        case .succeeded, .alreadyCurrent: return .success
        case .failed, .interrupted: return .deployFailed
        case .usage: return .usageOrRecipe
        case .lockHeld: return .lockHeld
        case .unreachable: return .unreachable
        }
    }
}
