#if canImport(Glibc)
import Glibc
#endif

/// Asks an ssh-agent for signatures with the flags libssh2 1.10 never sends (it asks for SHA-1
/// only): `SSH2_AGENTC_SIGN_REQUEST` with `SSH_AGENT_RSA_SHA2_512` or `_256`, so RSA keys held in
/// an agent authenticate against servers that refuse `ssh-rsa`.
///
/// Talks to the agent's Unix socket in blocking mode, with a time limit per request: it runs on
/// the session's own thread, never on Swift's cooperative pool.
struct SSHAgentClient {
    /// The agent's socket (`SSH_AUTH_SOCK` or `IdentityAgent`).
    let socketPath: String
    /// How long the agent may take to answer (it may ask its user to confirm).
    static let answerTime: Int = 30

    private static let signRequest: UInt8 = 13
    private static let signResponse: UInt8 = 14

    /// The raw signature (without its algorithm name) of `data` by the key `blob`, made as `algorithm`.
    func sign(blob: [UInt8], data: [UInt8], as algorithm: RSASignatureAlgorithm) -> Result<[UInt8], SigningFailure> {
        var request = SSHWireWriter()
        request.byte(Self.signRequest)
        request.string(blob)
        request.string(data)
        request.uint32(algorithm.agentFlags)
        var message = SSHWireWriter()
        message.string(request.bytes)
        guard let answer = exchange(message.bytes) else {
            return .failure(SigningFailure(reason: "no answer from ssh-agent at \(socketPath)"))
        }
        guard answer.first == Self.signResponse else {
            return .failure(SigningFailure(reason: "ssh-agent refused to sign as \(algorithm.rawValue)"))
        }
        var reader = SSHWireReader(Array(answer.dropFirst()))
        guard let signature = reader.string() else { return .failure(SigningFailure(reason: "ssh-agent sent a malformed signature")) }
        var parts = SSHWireReader(signature)
        guard let name = parts.string(), let raw = parts.string() else {
            return .failure(SigningFailure(reason: "ssh-agent sent a malformed signature"))
        }
        guard name == Array(algorithm.rawValue.utf8) else {
            return .failure(SigningFailure(reason: "ssh-agent signed as \(String(decoding: name, as: UTF8.self)) when asked for \(algorithm.rawValue) (an agent too old for SHA-2 RSA signatures)"))
        }
        return .success(raw)
    }

    /// Sends one framed request and returns the answer's body; nil when the agent cannot be reached
    /// or does not answer in time.
    private func exchange(_ message: [UInt8]) -> [UInt8]? {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var limit = timeval(tv_sec: Self.answerTime, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = Array(socketPath.utf8)
        guard path.count < MemoryLayout.size(ofValue: address.sun_path) else { return nil }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0, writeAll(fd, message), let header = readExactly(fd, 4) else { return nil }
        let length = header.reduce(0) { $0 << 8 | Int($1) }
        guard length > 0, length < 256 * 1024 else { return nil }
        return readExactly(fd, length)
    }

    private func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            sent += count
        }
        return true
    }

    private func readExactly(_ fd: Int32, _ count: Int) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: count)
        var received = 0
        while received < count {
            let got = buffer[received...].withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { return nil }
            received += got
        }
        return buffer
    }
}
