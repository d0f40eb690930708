import ArgumentParser

struct GraphCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "graph", abstract: "(not built yet)")
    func run() async throws { throw ValidationError("'deployer graph' is not built yet") }
}
