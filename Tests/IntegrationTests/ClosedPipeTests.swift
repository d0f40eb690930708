import DeployerExecution
import Foundation
import Testing

/// A reader that leaves before deployer has written (`deployer plan prod --format json | head -c1`, a CI
/// step's log pipe that closed): deployer ignores SIGPIPE once it has started a child (git, here), so the
/// write fails with EPIPE, which crashed the plan with a fatal error and a backtrace (exit 132).
@Suite struct ClosedPipeTests {
    @Test(arguments: ["json", "text"])
    func aPlanWhoseReaderHasGoneEndsWithoutACrash(format: String) async throws {
        let app = try await AppRepository(hosts: (1...50).map { "web\($0)" })
        defer { app.remove() }
        var environment = ProcessInfo.processInfo.environment
        environment["DEPLOYER_SSH_CONFIG"] = "/dev/null"
        environment["XDG_CACHE_HOME"] = app.path + "/.cache"
        let plan = try ChildProcess(DeployerProcess.executable, ["plan", "staging", "--offline", "--format", format],
                                    environment: environment, currentDirectory: app.path)
        try plan.standardOutput!.close()
        let errors = String(decoding: plan.standardError!.readToEndRetryingInterrupts(), as: UTF8.self)
        let exit = plan.waitForExit()
        #expect(exit.status == 0 && !exit.signaled, "\(exit): \(errors)")
        #expect(!errors.contains("Fatal error"), "\(errors)")
    }
}
