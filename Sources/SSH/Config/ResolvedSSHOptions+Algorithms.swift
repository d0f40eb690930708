extension ResolvedSSHOptions {
    /// The `kind` algorithms to offer the host, best first: its ssh_config list, else deployer's default.
    public func offered(_ kind: SSHAlgorithmKind) -> [String] {
        algorithms[kind]?.names ?? kind.defaultNames
    }

    /// Whether host key types known_hosts holds for the host go first, as `ssh` does unless
    /// `HostKeyAlgorithms` gives an explicit order (a plain or `^` list).
    var prefersKnownHostKeyTypes: Bool {
        guard let value = algorithms[.hostKey]?.value else { return true }
        return value.hasPrefix("+") || value.hasPrefix("-")
    }

    /// The signature algorithms to try for a public key of `keyType` (`ssh-rsa` for any RSA key,
    /// as a key blob names it), in order; empty when `PubkeyAcceptedAlgorithms` leaves the key out.
    /// Without that setting an RSA key is tried as rsa-sha2-512, rsa-sha2-256 and, for old
    /// servers, ssh-rsa (a step past `ssh`, whose default leaves ssh-rsa out).
    func signatureAlgorithms(forKeyType keyType: String) -> [String] {
        let rsa = RSASignatureAlgorithm.allCases.map(\.rawValue)
        let candidates = keyType == RSASignatureAlgorithm.sha1.rawValue ? rsa : [keyType]
        guard let setting = algorithms[.publicKey] else { return candidates }
        let accepted = setting.names
        return candidates.filter(accepted.contains).sorted { accepted.firstIndex(of: $0)! < accepted.firstIndex(of: $1)! }
    }
}
