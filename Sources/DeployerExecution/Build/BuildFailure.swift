/// Why the build on the controller made no artifact. Nothing was touched on any host, and nothing
/// of the build is left in the cache.
public struct BuildFailure: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// A step failed or ran past its timeout, or its outputs are missing (exit 1).
        case failed
        /// Ctrl-C or SIGTERM stopped the build (exit 1, result `interrupted`).
        case interrupted
        /// The recipe cannot be built as written, e.g. an undefined variable (exit 2).
        case recipe
        /// A host a build step's `host_probe` must ask could not be reached (exit 4).
        case unreachable
    }

    public var kind: Kind
    /// What happened and what to do: the step, its command (secrets masked) and its last lines.
    public var message: String

    public init(_ kind: Kind, _ message: String) { self.kind = kind; self.message = message }
    public var description: String { message }
}
