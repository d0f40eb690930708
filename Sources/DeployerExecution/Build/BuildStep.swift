import DeployerModel

/// One build step as the controller runs it: a `local: true` task rendered with the recipe's vars
/// (secrets stay references to environment variables, so their values never appear in the command).
public struct BuildStep: Hashable, Sendable {
    public var name: String
    /// The rendered command, run by `/bin/sh -c` in the build's export.
    public var command: String
    /// The task's `env:` as `NAME=word` assignments, each word expanding to the value (secrets included).
    public var environment: [(key: String, value: String)]
    public var timeoutSeconds: Double?
    /// Paths in the export that this step leaves for the artifact.
    public var outputs: [String]
    /// The rendered `host_probe`: asked of every host before the build; their common answer reaches the
    /// step as `DEPLOYER_HOST_PROBE` (in `environment`).
    public var hostProbe: String?
    /// Where the recipe declares the step, for errors; not part of what the step is (equality, hash).
    public var location: SourceLocation?

    public init(name: String, command: String, environment: [(key: String, value: String)] = [],
                timeoutSeconds: Double? = nil, outputs: [String] = [], hostProbe: String? = nil,
                location: SourceLocation? = nil) {
        self.name = name; self.command = command; self.environment = environment
        self.timeoutSeconds = timeoutSeconds; self.outputs = outputs; self.hostProbe = hostProbe
        self.location = location
    }

    /// What `/bin/sh -c` runs: the `env:` assignments exported, then the command.
    public var script: String {
        environment.map { "export \($0.key)=\($0.value)\n" }.joined() + command
    }

    public static func == (lhs: BuildStep, rhs: BuildStep) -> Bool {
        lhs.name == rhs.name && lhs.command == rhs.command && lhs.environment.elementsEqual(rhs.environment, by: ==)
            && lhs.timeoutSeconds == rhs.timeoutSeconds && lhs.outputs == rhs.outputs && lhs.hostProbe == rhs.hostProbe
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name); hasher.combine(command); hasher.combine(outputs); hasher.combine(hostProbe)
        for entry in environment { hasher.combine(entry.key); hasher.combine(entry.value) }
    }
}
