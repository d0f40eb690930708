import ArgumentParser

struct RollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rollback", abstract: "(not built yet)")
    func run() async throws { throw ValidationError("'deployer rollback' is not built yet") }
}
