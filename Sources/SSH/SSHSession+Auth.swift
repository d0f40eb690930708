import CLibSSH2

extension SSHSession {
    /// What libssh2 1.10 cannot do with RSA keys, and the fix.
    static let rsaExplanation = "libssh2 1.10 (the version Debian 12 ships) signs with RSA keys only as ssh-rsa (SHA-1), which OpenSSH 8.8 and later refuse by default: use an ed25519 key instead (ssh-keygen -t ed25519), add its .pub to the host's ~/.ssh/authorized_keys and name it with IdentityFile"

    /// Public-key authentication: ssh-agent keys first (only those matching the identity files
    /// when `IdentitiesOnly` is set), then the identity files. Throws an error listing every
    /// method and key tried, and why each failed.
    ///
    /// The server's list of methods (a `none` request, one round trip) is asked for only when no
    /// key was accepted, to say so when it does not take keys at all.
    func authenticate(deadline: UInt64) async throws {
        let session = try liveHandle()
        let options = target.options
        let user = options.user
        let timeout = { SSHError(.authFailed, host: self.host, "authentication did not finish within \(self.target.connectTimeout)") }
        let identities = options.identityFiles.map(IdentityFile.init(path:))
        var tried: [String] = []
        var triedBlobs: Set<[UInt8]> = []
        var rsaInvolved = false
        var disconnected = false

        if let socketPath = target.agentSocket {
            if let agent = AgentHandle(session: session, socketPath: socketPath) {
                var keys = agent.identities()
                if options.identitiesOnly {
                    let wanted = Set(identities.compactMap(\.publicBlob))
                    let all = keys.count
                    keys = keys.filter { wanted.contains($0.blob) }
                    if keys.isEmpty && all > 0 { tried.append("ssh-agent: none of its \(all) keys matches an IdentityFile (IdentitiesOnly yes)") }
                }
                for key in keys {
                    guard let rc = try await attempt(until: deadline, onDeadline: timeout, { agent.authenticate(user: user, identity: key) }) else {
                        disconnected = true
                        break
                    }
                    note("publickey from ssh-agent (\(key.comment)): \(rc == 0 ? "accepted" : Self.describeAuthFailure(rc))")
                    if rc == 0 {
                        acceptedIdentity = "ssh-agent key \(key.comment.isEmpty ? "(no comment)" : key.comment) (\(IdentityFile.publicKeyType(of: key.blob) ?? "unknown type"))"
                        return
                    }
                    triedBlobs.insert(key.blob)
                    let type = IdentityFile.publicKeyType(of: key.blob) ?? "unknown type"
                    rsaInvolved = rsaInvolved || type == "ssh-rsa"
                    tried.append("ssh-agent key \(key.comment.isEmpty ? "(no comment)" : key.comment) (\(type)): \(Self.describeAuthFailure(rc))")
                }
            } else {
                tried.append("ssh-agent at \(socketPath): cannot connect")
            }
        }

        if !disconnected {
            for identity in identities {
                guard identity.exists else {
                    if options.identityFilesExplicit { tried.append("\(identity.path): no such file") }
                    continue
                }
                if let blob = identity.publicBlob, triedBlobs.contains(blob) { continue }
                rsaInvolved = rsaInvolved || identity.isRSA
                let attempted = try await attempt(until: deadline, onDeadline: timeout) {
                    shim_userauth_publickey_fromfile(session.raw, user, identity.publicKeyPath, identity.path, target.passphrase ?? "")
                }
                guard let rc = attempted else {
                    disconnected = true
                    break
                }
                note("publickey \(identity.path): \(rc == 0 ? "accepted" : Self.describeAuthFailure(rc))")
                if rc == 0 {
                    acceptedIdentity = "\(identity.path) (\(identity.keyType ?? "unknown type"))"
                    return
                }
                tried.append("\(identity.path) (\(identity.keyType ?? "unknown type")): \(describeFileFailure(rc, identity: identity))")
            }
        }

        if !disconnected {
            let methods = try? await retrying(until: deadline, onDeadline: timeout, wouldBlock: {
                $0 == nil && libssh2_session_last_errno(session.raw) == LIBSSH2_ERROR_EAGAIN
            }) {
                libssh2_userauth_list(session.raw, user, UInt32(user.utf8.count)).map { String(cString: $0) }
            }
            if libssh2_userauth_authenticated(session.raw) == 1 {
                acceptedIdentity = "none (the server asked for no authentication)"
                return
            }
            if let methods = methods ?? nil, !methods.split(separator: ",").contains("publickey") {
                throw SSHError(.authFailed, host: host, "the server accepts only \(methods) for \(user); deployer authenticates with keys",
                               fix: "enable PubkeyAuthentication in the host's sshd_config and authorize a key")
            }
        }
        var message = "no key was accepted for \(user)@\(endpoint)"
        message += tried.isEmpty ? "; no key was available to try (no agent keys, no identity files)" : "; tried:\n    " + tried.joined(separator: "\n    ")
        if disconnected {
            message += "\n  the server closed the connection after too many attempts (MaxAuthTries)"
        }
        var fix = "authorize one of these keys in ~\(user)/.ssh/authorized_keys on the host, or name the right key with IdentityFile (and IdentitiesOnly yes) in ssh_config"
        if rsaInvolved { fix = Self.rsaExplanation }
        throw SSHError(.authFailed, host: host, message, fix: fix)
    }

    /// One authentication attempt; nil when the server hung up (MaxAuthTries) meanwhile.
    private func attempt(until deadline: UInt64, onDeadline: () -> SSHError, _ call: () -> Int32) async throws -> Int32? {
        do {
            let rc = try await retrying(until: deadline, onDeadline: onDeadline, call)
            return Self.isDisconnect(rc) ? nil : rc
        } catch let error as SSHError where error.kind == .disconnected {
            return nil
        }
    }

    /// Whether a userauth result means the server hung up.
    static func isDisconnect(_ rc: Int32) -> Bool {
        [LIBSSH2_ERROR_SOCKET_DISCONNECT, LIBSSH2_ERROR_SOCKET_RECV, LIBSSH2_ERROR_SOCKET_SEND].contains(rc)
    }

    /// A userauth result in words.
    static func describeAuthFailure(_ rc: Int32) -> String {
        switch rc {
        case LIBSSH2_ERROR_AUTHENTICATION_FAILED: "refused by the server"
        case LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED: "signature not accepted (the server may have hit MaxAuthTries)"
        default: "failed (libssh2 \(rc))"
        }
    }

    private func describeFileFailure(_ rc: Int32, identity: IdentityFile) -> String {
        let unreadable = rc == LIBSSH2_ERROR_FILE || rc == LIBSSH2_ERROR_KEYFILE_AUTH_FAILED
            || (identity.isEncrypted && rc == LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED)
        guard unreadable else { return Self.describeAuthFailure(rc) }
        return target.passphrase == nil
            ? "cannot use the key: \(identity.isEncrypted ? "it is encrypted" : "encrypted or unreadable?"); set DEPLOYER_SSH_PASSPHRASE, or load it into ssh-agent"
            : "cannot read the key (wrong passphrase in DEPLOYER_SSH_PASSPHRASE, or an unsupported key format)"
    }
}
