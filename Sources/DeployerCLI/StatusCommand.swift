import ArgumentParser

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "(not built yet)")
    func run() async throws { throw ValidationError("'deployer status' is not built yet") }
}
