/// A problem in an ssh_config file, located at `path:line`, phrased so the user knows what to fix.
///
/// The first problem of a file; `otherErrors` holds the rest, so the user fixes them all in one go.
public struct SSHConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file the problem is in.
    public var path: String
    /// The 1-based line, or 0 when the problem concerns the whole file (e.g. unreadable).
    public var line: Int
    /// What is wrong and what to do about it.
    public var message: String
    /// Further problems found in the same parse, in file order.
    public var otherErrors: [SSHConfigError]

    /// Creates an error at `path:line`.
    public init(path: String, line: Int, message: String, otherErrors: [SSHConfigError] = []) {
        self.path = path
        self.line = line
        self.message = message
        self.otherErrors = otherErrors
    }

    /// `path:line: message` (or `path: message` when no line applies), one line per problem.
    public var description: String {
        let first = line > 0 ? "\(path):\(line): \(message)" : "\(path): \(message)"
        return ([first] + otherErrors.map(\.description)).joined(separator: "\n")
    }
}
