/// A known_hosts file that could not be read or written.
public struct KnownHostsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file concerned.
    public var file: String
    /// What went wrong and what to do about it.
    public var message: String

    /// Creates an error about `file`.
    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    /// `file: message`.
    public var description: String { "\(file): \(message)" }
}
