import CLibSSH2

extension SSHSession {
    /// Public-key authentication: ssh-agent keys first (only those matching the identity files
    /// when `IdentitiesOnly` is set), then the identity files. RSA keys sign with SHA-2 through
    /// deployer's own signing (`authenticateRSA`). Throws an error listing every method and key
    /// tried, and why each failed.
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
                let signer = SSHAgentClient(socketPath: socketPath)
                for key in keys {
                    let type = IdentityFile.publicKeyType(of: key.blob) ?? "unknown type"
                    let name = "ssh-agent key \(key.comment.isEmpty ? "(no comment)" : key.comment) (\(type))"
                    let algorithms = options.signatureAlgorithms(forKeyType: type)
                    if let leftOut = leftOut(type, algorithms) {
                        tried.append("\(name): \(leftOut)")
                        continue
                    }
                    let outcome: AuthOutcome
                    if type == RSASignatureAlgorithm.sha1.rawValue {
                        outcome = try await authenticateRSA(user: user, blob: key.blob, algorithms: algorithms.compactMap(RSASignatureAlgorithm.init),
                                                            deadline: deadline, onDeadline: timeout) {
                            signer.sign(blob: key.blob, data: $1, as: $0)
                        }
                    } else {
                        let rc = try await attempt(until: deadline, onDeadline: timeout, { agent.authenticate(user: user, identity: key) })
                        outcome = AuthOutcome(rc)
                        note("publickey from ssh-agent (\(key.comment)): \(outcome)")
                    }
                    if case .accepted = outcome {
                        acceptedIdentity = name
                        return
                    }
                    guard case .refused(let why) = outcome else {
                        disconnected = true
                        break
                    }
                    triedBlobs.insert(key.blob)
                    tried.append("\(name): \(why)")
                }
            } else {
                tried.append("ssh-agent at \(socketPath): cannot connect")
            }
        }

        if !disconnected {
            identities: for identity in identities {
                guard identity.exists else {
                    if options.identityFilesExplicit { tried.append("\(identity.path): no such file") }
                    continue
                }
                if identity.isPublicKeyOnly {
                    // Only an agent holding its private half can sign; tried above if the agent has it.
                    if let blob = identity.publicBlob, triedBlobs.contains(blob) { continue }
                    tried.append("\(identity.path) (\(identity.keyType ?? "unknown type")): a public key, and "
                        + (target.agentSocket == nil ? "no ssh-agent to sign with (SSH_AUTH_SOCK unset, or IdentityAgent none)" : "ssh-agent does not hold its private key")
                        + "; add the key to the agent (ssh-add), or name the private key file")
                    continue
                }
                // Its certificates first, as ssh offers them: only ECDSA ones can be signed here.
                for certificate in UserCertificate.offered(with: identity, certificateFiles: options.certificateFiles) {
                    let name = "\(certificate.path) (\(certificate.type))"
                    if let leftOut = leftOut(certificate.type, options.signatureAlgorithms(forKeyType: certificate.type)) {
                        tried.append("\(name): \(leftOut)")
                        continue
                    }
                    guard certificate.libssh2CanSign else {
                        tried.append("\(name): \(UserCertificate.unsupportedExplanation)")
                        continue
                    }
                    let rc = try await attempt(until: deadline, onDeadline: timeout) {
                        shim_userauth_publickey_fromfile(session.raw, user, certificate.path, identity.path, target.passphrase ?? "")
                    }
                    note("publickey certificate \(certificate.path): \(AuthOutcome(rc))")
                    switch rc.map({ $0 == 0 ? AuthOutcome.accepted : .refused(describeFileFailure($0, identity: identity)) }) ?? .disconnected {
                    case .accepted:
                        acceptedIdentity = name
                        return
                    case .refused(let why):
                        tried.append("\(name): \(why)")
                    case .disconnected:
                        disconnected = true
                        break identities
                    }
                }
                if let blob = identity.publicBlob, triedBlobs.contains(blob) { continue }
                let algorithms = identity.keyType.map(options.signatureAlgorithms(forKeyType:)) ?? []
                if let keyType = identity.keyType, let leftOut = leftOut(keyType, algorithms) {
                    tried.append("\(identity.path) (\(keyType)): \(leftOut)")
                    continue
                }
                let outcome: AuthOutcome
                if identity.isRSA {
                    switch RSAPrivateKey.load(path: identity.path, passphrase: target.passphrase) {
                    case .failure(let problem):
                        outcome = .refused(problem.explanation)
                    case .success(let key):
                        outcome = try await authenticateRSA(user: user, blob: key.publicBlob, algorithms: algorithms.compactMap(RSASignatureAlgorithm.init),
                                                            deadline: deadline, onDeadline: timeout) {
                            key.sign($1, as: $0)
                        }
                    }
                } else {
                    let rc = try await attempt(until: deadline, onDeadline: timeout) {
                        shim_userauth_publickey_fromfile(session.raw, user, identity.publicKeyPath, identity.path, target.passphrase ?? "")
                    }
                    outcome = rc.map { $0 == 0 ? .accepted : .refused(describeFileFailure($0, identity: identity)) } ?? .disconnected
                    note("publickey \(identity.path): \(outcome)")
                }
                let name = "\(identity.path) (\(identity.keyType ?? "unknown type"))"
                if case .accepted = outcome {
                    acceptedIdentity = name
                    return
                }
                guard case .refused(let why) = outcome else {
                    disconnected = true
                    break identities
                }
                tried.append("\(name): \(why)")
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
        let fix = "authorize one of these keys in ~\(user)/.ssh/authorized_keys on the host, or name the right key with IdentityFile (and IdentitiesOnly yes) in ssh_config"
        throw SSHError(.authFailed, host: host, message, fix: fix)
    }

    /// Why a key of `keyType` is not offered when PubkeyAcceptedAlgorithms leaves it no
    /// `algorithms`; nil when it is offered.
    private func leftOut(_ keyType: String, _ algorithms: [String]) -> String? {
        guard algorithms.isEmpty, let setting = target.options.algorithms[.publicKey] else { return nil }
        return "not offered: \(setting.location) leaves out \(keyType)"
    }

    /// One authentication attempt; nil when the server hung up (MaxAuthTries) meanwhile.
    func attempt(until deadline: UInt64, onDeadline: () -> SSHError, _ call: () -> Int32) async throws -> Int32? {
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
