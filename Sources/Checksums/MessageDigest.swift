import CLibCrypto

/// A libcrypto digest context (`EVP_MD_CTX`) for one algorithm, freed with its owner.
///
/// A class so that `SHA256`, which is not copyable, can free it in one place; libcrypto
/// fails these calls only on allocation failure or an unknown algorithm, both programming
/// or resource errors that deployer cannot act on, so they stop the process with a reason.
final class MessageDigest {
    private let context: OpaquePointer

    init(_ algorithm: OpaquePointer?) {
        guard let context = EVP_MD_CTX_new(), EVP_DigestInit_ex(context, algorithm, nil) == 1 else {
            fatalError("libcrypto could not start a digest (out of memory?)")
        }
        self.context = context
    }

    deinit {
        EVP_MD_CTX_free(context)
    }

    func update(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        guard EVP_DigestUpdate(context, bytes.baseAddress, bytes.count) == 1 else {
            fatalError("libcrypto could not update a digest")
        }
    }

    func finalize() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &out, &length) == 1 else { fatalError("libcrypto could not finish a digest") }
        return Array(out.prefix(Int(length)))
    }

    /// The digest of `bytes` under `algorithm`, in one call.
    static func oneShot(_ algorithm: OpaquePointer?, _ bytes: [UInt8]) -> [UInt8] {
        let digest = MessageDigest(algorithm)
        bytes.withUnsafeBytes { digest.update($0) }
        return digest.finalize()
    }
}
