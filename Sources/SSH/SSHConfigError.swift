/// A problem in an ssh_config file, located at `path:line`, phrased so the user knows what to fix.
public struct SSHConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file the problem is in.
    public var path: String
    /// The 1-based line, or 0 when the problem concerns the whole file (e.g. unreadable).
    public var line: Int
    /// What is wrong and what to do about it.
    public var message: String

    /// Creates an error at `path:line`.
    public init(path: String, line: Int, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    /// `path:line: message`, or `path: message` when no line applies.
    public var description: String {
        line > 0 ? "\(path):\(line): \(message)" : "\(path): \(message)"
    }
}
