import DeployerCLI

extension DeployerCommand {
    /// The message `deployer ARGUMENTS` is refused with when parsed; empty when it parses.
    static func refusal(_ arguments: [String]) -> String {
        do {
            _ = try parseAsRoot(arguments)
            return ""
        } catch {
            return message(for: error)
        }
    }
}
