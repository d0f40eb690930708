import ArgumentParser

struct PushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "push", abstract: "(not built yet)")
    func run() async throws { throw ValidationError("'deployer push' is not built yet") }
}
