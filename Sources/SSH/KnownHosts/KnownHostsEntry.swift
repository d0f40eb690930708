import Checksums
import Foundation

/// One host key line of a known_hosts file: who it is for, and which key.
struct KnownHostsEntry: Sendable {
    /// The file the line came from.
    let file: String
    /// Its 1-based line number.
    let line: Int
    /// `@revoked`: the key must be refused for these hosts.
    let revoked: Bool
    /// `@cert-authority`: the key is a CA's, trusted to sign host certificates for these hosts;
    /// never a host key itself.
    let certificateAuthority: Bool
    /// The host field as written: a comma list of patterns, or `|1|salt|hash`.
    let hosts: String
    /// Salt and hash of a hashed host field; nil for patterns.
    let hashed: (salt: [UInt8], hash: [UInt8])?
    /// The key type, e.g. `ssh-ed25519`.
    let keyType: String
    /// The decoded key blob.
    let key: [UInt8]

    /// Parses one line; nil for blank and comment lines, or a reason the line is skipped.
    static func parse(_ text: Substring, file: String, line: Int) -> Result<KnownHostsEntry, KnownHostsSkip>? {
        var fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })[...]
        guard let first = fields.first, !first.hasPrefix("#") else {
            return nil
        }
        var revoked = false, certificateAuthority = false
        if first.hasPrefix("@") {
            switch first {
            case "@revoked":
                revoked = true
            case "@cert-authority":
                certificateAuthority = true
            default:
                return .failure(KnownHostsSkip(reason: "unknown marker '\(first)'; the line is ignored"))
            }
            fields = fields.dropFirst()
        }
        guard fields.count >= 3 else {
            return .failure(KnownHostsSkip(reason: "expected 'hosts keytype base64-key'; the line is ignored"))
        }
        let hosts = String(fields[fields.startIndex])
        let keyType = String(fields[fields.startIndex + 1])
        guard let blob = Data(base64Encoded: String(fields[fields.startIndex + 2])), !blob.isEmpty else {
            return .failure(KnownHostsSkip(reason: "the key of type \(keyType) is not valid base64; the line is ignored"))
        }
        var hashed: (salt: [UInt8], hash: [UInt8])?
        if hosts.hasPrefix("|") {
            let parts = hosts.split(separator: "|", omittingEmptySubsequences: false)
            guard parts.count == 4, parts[1] == "1",
                  let salt = Data(base64Encoded: String(parts[2])), let hash = Data(base64Encoded: String(parts[3])),
                  salt.count == 20, hash.count == 20
            else {
                return .failure(KnownHostsSkip(reason: "hashed host name is not '|1|salt|hash'; the line is ignored"))
            }
            hashed = (Array(salt), Array(hash))
        }
        return .success(KnownHostsEntry(file: file, line: line, revoked: revoked, certificateAuthority: certificateAuthority, hosts: hosts, hashed: hashed, keyType: keyType, key: Array(blob)))
    }

    /// Whether this line is for `name` (`host` or `[host]:port`, lower-cased): hashed equality, or
    /// OpenSSH's pattern list where any `!pattern` that matches rules the line out.
    func matches(_ name: String) -> Bool {
        if let hashed {
            return HMACSHA1.authenticationCode(key: hashed.salt, message: Array(name.utf8)) == hashed.hash
        }
        return WildcardPattern.matchList(name, list: hosts, lowercase: true) == true
    }
}
