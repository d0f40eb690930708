import ArgumentParser

struct ReleasesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "releases", abstract: "(not built yet)")
    func run() async throws { throw ValidationError("'deployer releases' is not built yet") }
}
