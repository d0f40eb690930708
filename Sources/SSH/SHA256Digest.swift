import CLibSSH2

/// Incremental SHA-256 through libcrypto (already loaded for libssh2; fast even in debug builds).
///
/// Not Sendable: used by one upload on its session's thread.
final class SHA256Digest {
    private var context: OpaquePointer?

    init() { context = shim_sha256_new() }

    deinit { if context != nil { var unused = [UInt8](repeating: 0, count: 32); shim_sha256_finish(context, &unused) } }

    /// Adds bytes.
    func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        shim_sha256_update(context, base, bytes.count)
    }

    /// The digest as lowercase hex, as `sha256sum` prints it; the digest cannot be used afterwards.
    func finishHex() -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        shim_sha256_finish(context, &digest)
        context = nil
        let hex = Array("0123456789abcdef".utf8)
        return String(decoding: digest.flatMap { [hex[Int($0 >> 4)], hex[Int($0 & 15)]] }, as: UTF8.self)
    }
}
