import ArgumentParser

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plan", abstract: "(not built yet)")
    func run() async throws { throw ValidationError("'deployer plan' is not built yet") }
}
