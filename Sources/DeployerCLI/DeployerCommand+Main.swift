import ArgumentParser
import Foundation

extension DeployerCommand {
    /// Parses and runs a command, mapping usage errors to exit code 2.
    ///
    /// ArgumentParser exits 64 (EX_USAGE) for a bad option; deployer's
    /// documented contract is 2 for every usage or recipe error, so that CI
    /// scripts need to know one code only.
    public static func runAsMain(arguments: [String] = Array(CommandLine.arguments.dropFirst())) async -> Never {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Foundation.exit(0)
        } catch {
            let code = exitCode(for: error)
            guard code == .validationFailure else { exit(withError: error) }
            let message = fullMessage(for: error)
            FileHandle.standardError.write(Data((message + "\n").utf8))
            Foundation.exit(ExitCode.usageOrRecipe.rawValue)
        }
    }
}
