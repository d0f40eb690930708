import ArgumentParser

struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "diff", abstract: "(not built yet)")
    func run() async throws { throw ValidationError("'deployer diff' is not built yet") }
}
