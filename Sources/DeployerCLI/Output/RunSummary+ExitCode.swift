import ArgumentParser
import DeployerModel

extension RunSummary.Result {
    /// The documented exit code of a run that ended this way.
    var exitCode: ExitCode { ExitCode(exitStatus) }
}
