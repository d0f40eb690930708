import Checksums
import Foundation

/// The entries of one or more known_hosts files, checked with OpenSSH's rules (not libssh2's).
///
/// Differences from `libssh2_knownhost_checkp` that matter: a non-22 port is looked up only as
/// `[host]:port`, patterns and `!` negation work, and `@revoked` keys are refused.
public struct KnownHosts: Sendable {
    /// Lines this parser does not act on (e.g. `@cert-authority`, malformed lines), as `file:line: reason`.
    public private(set) var unsupportedLines: [String] = []
    private(set) var entries: [KnownHostsEntry] = []

    /// Reads the files in order; missing files are fine, an unreadable one is an error.
    public init(files: [String]) throws(KnownHostsError) {
        for file in files {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
                continue
            }
            guard !isDirectory.boolValue, let bytes = FileContents.bytes(of: file) else {
                throw KnownHostsError(file: file, message: "cannot read this known_hosts file; check its permissions, or point UserKnownHostsFile elsewhere")
            }
            add(text: String(decoding: bytes, as: UTF8.self), file: file)
        }
    }

    /// Parses known_hosts text; `file` names it in results.
    public init(text: String, file: String) {
        add(text: text, file: file)
    }

    private mutating func add(text: String, file: String) {
        var lineNumber = 0
        // Split on LF bytes: a CRLF pair is one Character, so splitting the String on "\n" would miss it.
        for bytes in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            switch KnownHostsEntry.parse(Substring(String(decoding: bytes, as: UTF8.self)), file: file, line: lineNumber) {
            case .success(let entry): entries.append(entry)
            case .failure(let skip): unsupportedLines.append("\(file):\(lineNumber): \(skip.reason)")
            case nil: break
            }
        }
    }

    /// The name OpenSSH looks up: `host` for port 22, else `[host]:port`, lower-cased.
    static func lookupName(host: String, port: Int) -> String {
        let lowered = host.lowercased()
        return port == 22 ? lowered : "[\(lowered)]:\(port)"
    }

    /// Checks a server's host key against the entries for `host` (as `[host]:port` when port != 22).
    ///
    /// A revoked key wins over everything; then an equal key is a match; then a different key of
    /// the same type, or failing that a key of another type, is a mismatch naming the first such line.
    public func check(host: String, port: Int, keyType: String, key: [UInt8]) -> Match {
        let name = Self.lookupName(host: host, port: port)
        let forHost = entries.filter { !$0.certificateAuthority && $0.matches(name) }
        if let revoked = forHost.first(where: { $0.revoked && $0.key == key }) {
            return .revoked(file: revoked.file, line: revoked.line)
        }
        let known = forHost.filter { !$0.revoked }
        if known.contains(where: { $0.keyType == keyType && $0.key == key }) {
            return .match
        }
        guard let other = known.first(where: { $0.keyType == keyType }) ?? known.first else {
            return .notFound
        }
        return .mismatch(file: other.file, line: other.line, knownKeyType: other.keyType)
    }

    /// The first `@cert-authority` line for `host` (as `[host]:port` when port != 22): the user
    /// trusts host certificates signed by that CA, which libssh2 1.10 cannot verify.
    public func certificateAuthority(host: String, port: Int) -> (file: String, line: Int)? {
        let name = Self.lookupName(host: host, port: port)
        return entries.first { $0.certificateAuthority && $0.matches(name) }.map { ($0.file, $0.line) }
    }

    /// Key types known for this host (e.g. `["ssh-ed25519"]`), so the session can prefer them in host-key negotiation.
    public func knownKeyTypes(host: String, port: Int) -> [String] {
        let name = Self.lookupName(host: host, port: port)
        var types: [String] = []
        for entry in entries where !entry.revoked && !entry.certificateAuthority && !types.contains(entry.keyType) && entry.matches(name) {
            types.append(entry.keyType)
        }
        return types
    }

    /// The line OpenSSH would append: `host keytype base64`, with `[host]:port` for a port other than 22.
    public static func entryLine(host: String, port: Int, keyType: String, key: [UInt8]) -> String {
        let name = port == 22 ? host : "[\(host)]:\(port)"
        return "\(name) \(keyType) \(Data(key).base64EncodedString())"
    }

    /// The line OpenSSH writes under `HashKnownHosts yes`: `|1|salt|hash keytype base64`, where hash is
    /// HMAC-SHA1 of the `entryLine` host name under a random 20-byte salt.
    public static func hashedEntryLine(host: String, port: Int, keyType: String, key: [UInt8]) -> String {
        var random = SystemRandomNumberGenerator()
        return hashedEntryLine(host: host, port: port, keyType: keyType, key: key, salt: (0..<20).map { _ in random.next() })
    }

    /// `hashedEntryLine` with a given salt, so tests can pin the output.
    static func hashedEntryLine(host: String, port: Int, keyType: String, key: [UInt8], salt: [UInt8]) -> String {
        let name = port == 22 ? host : "[\(host)]:\(port)"
        let hash = HMACSHA1.authenticationCode(key: salt, message: Array(name.utf8))
        return "|1|\(Data(salt).base64EncodedString())|\(Data(hash).base64EncodedString()) \(keyType) \(Data(key).base64EncodedString())"
    }

    /// `SHA256:` and the unpadded base64 SHA-256 of the key blob, as OpenSSH prints fingerprints.
    public static func fingerprint(key: [UInt8]) -> String {
        var encoded = Data(SHA256.hash(key)).base64EncodedString()
        while encoded.hasSuffix("=") {
            encoded.removeLast()
        }
        return "SHA256:" + encoded
    }
}
