/// Why an SSH operation failed, phrased for the person at the terminal: what happened on which
/// host, and what to do about it.
public struct SSHError: Error, Sendable, CustomStringConvertible {
    /// The broad class of failure, for exit codes and retries.
    public enum Kind: String, Sendable {
        /// The host could not be reached: connection refused, no route, timeout, or no SSH banner.
        case unreachable
        /// The host key is not in known_hosts and the policy is strict.
        case hostKeyUnknown
        /// known_hosts holds a different key for this host (or the key is revoked).
        case hostKeyChanged
        /// No offered key or method was accepted.
        case authFailed
        /// The server refused or broke a channel (exec, upload).
        case channel
        /// A command or transfer ran past its timeout.
        case timeout
        /// The connection dropped or went silent mid-session.
        case disconnected
        /// An uploaded file's SHA-256 on the host differs from the local one.
        case verificationFailed
        /// A local problem: unreadable file, bad configuration.
        case local
    }

    /// The broad class of failure.
    public var kind: Kind
    /// The host as the user named it.
    public var host: String
    /// What happened.
    public var message: String
    /// What to do about it, when there is something to do.
    public var fix: String?

    /// Creates an error about `host`.
    public init(_ kind: Kind, host: String, _ message: String, fix: String? = nil) {
        self.kind = kind
        self.host = host
        self.message = message
        self.fix = fix
    }

    /// True when the host was never usable (exit code 4): not reached, not trusted or not authenticated.
    public var isUnreachable: Bool {
        switch kind {
        case .unreachable, .hostKeyUnknown, .hostKeyChanged, .authFailed: true
        case .channel, .timeout, .disconnected, .verificationFailed, .local: false
        }
    }

    /// `host: message`, then the fix on its own line.
    public var description: String {
        "\(host): \(message)" + (fix.map { "\n  fix: \($0)" } ?? "")
    }
}
