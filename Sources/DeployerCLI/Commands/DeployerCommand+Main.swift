import ArgumentParser
import DeployerModel
import DeployerReporting
import Foundation

extension DeployerCommand {
    /// Parses and runs a command, mapping usage errors to exit code 2; recipe diagnostics and
    /// refusals of commands that record no run (check, graph, diff, …) are printed here.
    ///
    /// ArgumentParser exits 64 (EX_USAGE) for a bad option; deployer's
    /// documented contract is 2 for every usage or recipe error, so that CI
    /// scripts need to know one code only.
    public static func runAsMain(arguments: [String] = Array(CommandLine.arguments.dropFirst())) async -> Never {
        var parsed = false
        FileDescriptorLimit.raiseToHard()
        do {
            var command = try parseAsRoot(arguments)
            parsed = true
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Foundation.exit(0)
        } catch let error as DiagnosticsError {
            DiagnosticPrinter.print(error.diagnostics, sources: error.sources)
            Foundation.exit(ExitCode.usageOrRecipe.rawValue)
        } catch let refusal as RunRefusal {
            FileHandle.standardError.writeUnlessClosed("error: \(refusal.message.displayText)\n")
            Foundation.exit(refusal.result.exitStatus)
        } catch {
            let code = exitCode(for: error)
            guard code == .validationFailure else { exit(withError: error) }
            // Errors of a command's run are recorded by its `CommandRun`; these stopped the parse.
            if !parsed { CommandRun.recordUsageError(error, arguments: arguments) }
            let message = fullMessage(for: error)
            FileHandle.standardError.writeUnlessClosed(message + "\n")
            Foundation.exit(ExitCode.usageOrRecipe.rawValue)
        }
    }
}
