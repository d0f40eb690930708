/// A task rendered for one host: every template filled in and quoted, ready
/// to be written into a host script.
public struct ScriptTask: Hashable, Sendable {
    public var name: String
    /// The shell command as the recipe wrote it, rendered (run by the recipe's shell, `RemoteShell.commandRunner`).
    public var command: String
    public var creates: String?
    public var unless: String?
    public var onlyIf: String?
    /// `check:` rendered: run at the end of prepare; its answer is read back by `HostScripts.checkTest`.
    public var check: String?
    /// `read_only_guards: true`: `deployer plan --run-guards` may run `unless` and `only_if`.
    public var readOnlyGuards: Bool
    /// Exported for the command only, in order; each value is one shell word (quoted, a secret as its
    /// `"${NAME}"` reference) whose expansion is the value.
    public var environment: [(key: String, value: String)]
    public var timeoutSeconds: Double?
    /// Its start is recorded in the host's `.deployer/irreversible.jsonl` (see `IrreversibleRun`).
    public var irreversible: Bool

    public init(name: String, command: String, creates: String? = nil, unless: String? = nil, onlyIf: String? = nil,
                readOnlyGuards: Bool = false, environment: [(key: String, value: String)] = [],
                timeoutSeconds: Double? = nil, irreversible: Bool = false, check: String? = nil) {
        self.name = name; self.command = command; self.creates = creates; self.unless = unless
        self.onlyIf = onlyIf; self.readOnlyGuards = readOnlyGuards; self.environment = environment
        self.timeoutSeconds = timeoutSeconds; self.irreversible = irreversible; self.check = check
    }

    public static func == (lhs: ScriptTask, rhs: ScriptTask) -> Bool {
        lhs.name == rhs.name && lhs.command == rhs.command && lhs.creates == rhs.creates && lhs.unless == rhs.unless
            && lhs.onlyIf == rhs.onlyIf && lhs.check == rhs.check && lhs.readOnlyGuards == rhs.readOnlyGuards
            && lhs.timeoutSeconds == rhs.timeoutSeconds && lhs.irreversible == rhs.irreversible
            && lhs.environment.map(\.key) == rhs.environment.map(\.key)
            && lhs.environment.map(\.value) == rhs.environment.map(\.value)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name); hasher.combine(command)
    }
}
