import CLibSSH2

extension SSHSession {
    /// Authenticates with the RSA key `blob` (an `ssh-rsa` public key blob) as each of `algorithms`
    /// in turn (`rsa-sha2-512`, `rsa-sha2-256`, `ssh-rsa` unless PubkeyAcceptedAlgorithms says
    /// otherwise), until the server accepts one; `sign` makes the raw
    /// signature for each (libcrypto for a key file, the agent for an agent key).
    ///
    /// libssh2 1.10 signs RSA only with SHA-1, which OpenSSH 8.8 and later refuse; but it sends
    /// the first string of the blob it is given as the request's algorithm and signature name,
    /// so a renamed blob and a signing callback that signs with the matching digest authenticate.
    /// Each refused algorithm costs one of the server's MaxAuthTries.
    func authenticateRSA(
        user: String, blob: [UInt8], algorithms: [RSASignatureAlgorithm], deadline: UInt64, onDeadline: () -> SSHError,
        sign: @escaping (RSASignatureAlgorithm, [UInt8]) -> Result<[UInt8], SigningFailure>
    ) async throws -> AuthOutcome {
        let session = try liveHandle()
        var refusals: [(why: String, algorithm: RSASignatureAlgorithm)] = []
        for algorithm in algorithms {
            guard let renamed = algorithm.renaming(blob) else { return .refused("not an RSA key") }
            let callback = SignatureCallback { sign(algorithm, $0) }
            let rc = try await attempt(until: deadline, onDeadline: onDeadline) {
                libssh2_userauth_publickey(session.raw, user, renamed, renamed.count, SignatureCallback.callback, callback.abstract)
            }
            let outcome = callback.failure.map { .refused($0.reason) } ?? AuthOutcome(rc)
            note("publickey RSA as \(algorithm.rawValue): \(outcome)")
            guard case .refused(let why) = outcome else { return outcome }
            refusals.append((why, algorithm))
        }
        // "refused by the server as rsa-sha2-512, rsa-sha2-256, ssh-rsa", one clause per distinct reason.
        var clauses: [(why: String, names: [String])] = []
        for refusal in refusals {
            if let index = clauses.firstIndex(where: { $0.why == refusal.why }) {
                clauses[index].names.append(refusal.algorithm.rawValue)
            } else {
                clauses.append((refusal.why, [refusal.algorithm.rawValue]))
            }
        }
        return .refused(clauses.map { "\($0.why) as \($0.names.joined(separator: ", "))" }.joined(separator: "; "))
    }
}
