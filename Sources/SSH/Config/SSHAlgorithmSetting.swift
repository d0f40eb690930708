/// An algorithm list a host obtains from ssh_config (`Ciphers +aes128-cbc`), with where it was
/// written, so that a list deployer cannot offer anything from names the line.
public struct SSHAlgorithmSetting: Sendable, Hashable {
    /// Which list it sets.
    public var kind: SSHAlgorithmKind
    /// The keyword as written (`PubkeyAcceptedKeyTypes` is one name of `.publicKey`).
    public var keyword: String
    /// The list as written, with its `+`, `-` or `^`.
    public var value: String
    /// The file that holds the setting.
    public var path: String
    /// Its 1-based line.
    public var line: Int

    /// What deployer offers over libssh2 for this setting, best first; empty when nothing is left.
    public var names: [String] {
        SSHAlgorithmList.assemble(value, kind: kind)
    }

    /// `path:line: Keyword value`, to name the setting in an error.
    public var location: String {
        "\(path):\(line): \(keyword) \(value)"
    }

    /// The refusal of a list that leaves deployer nothing to offer (only algorithms libssh2 1.10
    /// lacks, such as chacha20-poly1305 or AES-GCM); nil when something is left.
    var refusal: SSHConfigRefusal? {
        guard names.isEmpty else { return nil }
        let why = "leaves no \(kind.noun) that libssh2 1.10 supports; it has \(kind.libssh2Names.joined(separator: ", "))"
        return SSHConfigRefusal(path: path, line: line, keyword: keyword, value: value, why: why)
    }
}
