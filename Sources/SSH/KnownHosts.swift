import Foundation

/// The entries of one or more known_hosts files, checked with OpenSSH's rules (not libssh2's).
public struct KnownHosts: Sendable {
    /// Lines this parser does not act on (e.g. `@cert-authority`), as `file:line: reason`.
    public private(set) var unsupportedLines: [String] = []

    /// Reads the files in order; missing files are fine, an unreadable one is an error.
    public init(files: [String]) throws(KnownHostsError) {
    }

    /// Parses known_hosts text; `file` names it in results.
    public init(text: String, file: String) {
    }

    /// Checks a server's host key against the entries for `host` (as `[host]:port` when port != 22).
    public func check(host: String, port: Int, keyType: String, key: [UInt8]) -> Match {
        .notFound
    }

    /// Key types known for this host (e.g. `["ssh-ed25519"]`), so the session can prefer them in host-key negotiation.
    public func knownKeyTypes(host: String, port: Int) -> [String] {
        []
    }

    /// The line OpenSSH would append: `host keytype base64`, with `[host]:port` for a port other than 22.
    public static func entryLine(host: String, port: Int, keyType: String, key: [UInt8]) -> String {
        let name = port == 22 ? host : "[\(host)]:\(port)"
        return "\(name) \(keyType) \(Data(key).base64EncodedString())"
    }

    /// Appends `entryLine` to `file`, creating its directory (0700) and the file (0600) when missing.
    public static func append(host: String, port: Int, keyType: String, key: [UInt8], to file: String) throws(KnownHostsError) {
    }

    /// `SHA256:` and the unpadded base64 SHA-256 of the key blob, as OpenSSH prints fingerprints.
    public static func fingerprint(key: [UInt8]) -> String {
        ""
    }
}
