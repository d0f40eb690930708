import DeployerModel

/// Hands every event to several reporters, in order (e.g. the terminal view and a JSON log).
public struct FanOutReporter: Reporter {
    public var reporters: [any Reporter]

    public init(_ reporters: [any Reporter]) { self.reporters = reporters }

    public func report(_ event: DeployEvent) {
        for reporter in reporters { reporter.report(event) }
    }
}
