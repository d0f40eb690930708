import ArgumentParser

struct UnlockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unlock", abstract: "(not built yet)")
    func run() async throws { throw ValidationError("'deployer unlock' is not built yet") }
}
