/// Receives the executor's events as they happen; implementations render
/// them (plain lines, a live terminal view, JSON lines) and must not block.
public protocol Reporter: Sendable {
    func report(_ event: DeployEvent)
}
