import CLibSSH2

extension SSHSession {
    /// The name and port known_hosts is searched for: `HostKeyAlias` (port 22 rules), else the host name and port.
    nonisolated var hostKeyLookupName: (host: String, port: Int) {
        if let alias = target.options.hostKeyAlias { return (alias, 22) }
        return (target.options.hostName, target.options.port)
    }

    /// The user's and the system's known_hosts files, parsed.
    func loadKnownHosts() throws -> KnownHosts {
        do {
            return try KnownHosts.shared(files: target.options.userKnownHostsFiles + target.options.globalKnownHostsFiles)
        } catch {
            throw SSHError(.local, host: host, "cannot read known_hosts: \(error)")
        }
    }

    /// OpenSSH's name for a libssh2 host key type.
    static func keyTypeName(_ type: Int32) -> String {
        switch type {
        case LIBSSH2_HOSTKEY_TYPE_ED25519: "ssh-ed25519"
        case LIBSSH2_HOSTKEY_TYPE_ECDSA_256: "ecdsa-sha2-nistp256"
        case LIBSSH2_HOSTKEY_TYPE_ECDSA_384: "ecdsa-sha2-nistp384"
        case LIBSSH2_HOSTKEY_TYPE_ECDSA_521: "ecdsa-sha2-nistp521"
        case LIBSSH2_HOSTKEY_TYPE_RSA: "ssh-rsa"
        case LIBSSH2_HOSTKEY_TYPE_DSS: "ssh-dss"
        default: "unknown"
        }
    }

    /// Checks the server's key against known_hosts under `target.hostKeyPolicy`, recording it
    /// under `accept-new`; throws an error that names the key and the exact way to accept it.
    func verifyHostKey(_ knownHosts: KnownHosts) throws {
        guard let (key, type) = handle?.hostKey else {
            throw libraryError(.hostKeyUnknown, "the server at \(endpoint) sent no host key")
        }
        let keyType = Self.keyTypeName(type)
        let fingerprint = KnownHosts.fingerprint(key: key)
        let (name, port) = hostKeyLookupName
        let display = port == 22 ? name : "[\(name)]:\(port)"
        let userFile = target.options.userKnownHostsFiles.first ?? "~/.ssh/known_hosts"
        verifiedHostKey = "\(keyType) \(fingerprint)"
        switch knownHosts.check(host: name, port: port, keyType: keyType, key: key) {
        case .match:
            return
        case .notFound:
            // A host vouched for by a CA is not a host to trust on first use, nor to check by key.
            if target.hostKeyPolicy != .off, let authority = knownHosts.certificateAuthority(host: name, port: port) {
                throw SSHError(
                    .hostKeyUnknown, host: host,
                    "\(display) is trusted through its host certificate (@cert-authority at \(authority.file):\(authority.line)), which libssh2 1.10 cannot verify (it negotiates no certificate host keys); refusing to connect",
                    fix: "use `ssh: { transport: openssh }` in the recipe's environment (or --ssh-transport openssh), or add the host's own key (\(keyType) \(fingerprint), once its administrator confirms it) to \(userFile)")
            }
            switch target.hostKeyPolicy {
            case .off:
                return
            case .acceptNew:
                do {
                    try KnownHosts.append(host: name, port: port, keyType: keyType, key: key, to: userFile,
                                           hashed: target.options.hashKnownHosts)
                } catch {
                    throw SSHError(.local, host: host, "cannot record the host key of \(display): \(error)")
                }
            case .strict:
                let line = KnownHosts.entryLine(host: name, port: port, keyType: keyType, key: key)
                throw SSHError(
                    .hostKeyUnknown, host: host,
                    "the host key of \(display) is not known (\(keyType) \(fingerprint)); refusing to connect",
                    fix: "if that fingerprint is the host's, run once with --host-key-policy accept-new, or add this line to \(userFile):\n    \(line)")
            }
        case .mismatch(let file, let line, let knownKeyType):
            if target.hostKeyPolicy == .off { return }
            throw SSHError(
                .hostKeyChanged, host: host,
                "HOST KEY CHANGED for \(display): the server offers \(keyType) \(fingerprint), but \(file):\(line) records a different \(knownKeyType) key; someone may be intercepting the connection, or the host was reinstalled",
                fix: "if the change is expected, remove the old key with `ssh-keygen -R '\(display)' -f \(file)`, then connect once with --host-key-policy accept-new")
        case .revoked(let file, let line):
            throw SSHError(
                .hostKeyChanged, host: host,
                "the host key of \(display) (\(keyType) \(fingerprint)) is marked @revoked in \(file):\(line); refusing to connect",
                fix: "the host needs a new host key; ask its administrator")
        }
    }
}
