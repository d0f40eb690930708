import DeployerExecution
import DeployerModel
import Foundation

extension RunOrigin {
    /// This process as a run origin: `user@host`, the CI job URL when the
    /// environment has one (GitHub Actions, GitLab CI, Jenkins, Buildkite), the command line.
    static func current(message: String?, runID: String,
                        environment: [String: String] = ProcessInfo.processInfo.environment) -> RunOrigin {
        let user = environment["USER"] ?? environment["LOGNAME"] ?? NSUserName()
        var hostName = ProcessInfo.processInfo.hostName
        if let dot = hostName.firstIndex(of: ".") { hostName = String(hostName[..<dot]) }
        var ciJobURL: String?
        if let server = environment["GITHUB_SERVER_URL"], let repository = environment["GITHUB_REPOSITORY"],
           let run = environment["GITHUB_RUN_ID"] {
            ciJobURL = "\(server)/\(repository)/actions/runs/\(run)"
        } else {
            ciJobURL = environment["CI_JOB_URL"] ?? environment["BUILD_URL"] ?? environment["BUILDKITE_BUILD_URL"]
        }
        let command = (["deployer"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        return RunOrigin(who: "\(user)@\(hostName)", ciJobURL: ciJobURL, command: command,
                         runID: runID, message: message)
    }
}
