import DeployerModel

/// A drain or undrain hook with its template filled in for one host, and where it runs.
public struct RenderedHook: Hashable, Sendable {
    public var command: String
    public var target: HookTarget

    public init(command: String, on target: HookTarget = .switchedHost) {
        self.command = command; self.target = target
    }
}
