import CLibSSH2
#if canImport(Glibc)
import Glibc
#endif

/// Lets libssh2's public-key sign callback (a C function pointer, no captures) call a Swift
/// signer: `libssh2_userauth_publickey` gets `callback` and `abstract`, which points at this
/// object. Keep the object alive until the authentication call has returned for good (it may
/// return `EAGAIN` and be called again).
///
/// Not Sendable: used on its session's thread only.
final class SignatureCallback {
    /// Signs the data libssh2 hands over (session identifier and request), returning the raw
    /// signature (without the algorithm name: libssh2 adds it).
    private let sign: ([UInt8]) -> Result<[UInt8], SigningFailure>
    /// Why the last signature could not be made, if it could not.
    private(set) var failure: SigningFailure?
    /// libssh2's `void **abstract`: a slot holding a pointer to this object.
    let abstract: UnsafeMutablePointer<UnsafeMutableRawPointer?>

    init(sign: @escaping ([UInt8]) -> Result<[UInt8], SigningFailure>) {
        self.sign = sign
        abstract = .allocate(capacity: 1)
        abstract.initialize(to: nil)
        abstract.pointee = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit {
        abstract.deallocate()
    }

    /// The C callback: the signature in a buffer from malloc, which libssh2 frees.
    static let callback: @convention(c) (
        OpaquePointer?, UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?, UnsafeMutablePointer<Int>?,
        UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<UnsafeMutableRawPointer?>?
    ) -> Int32 = { _, signature, signatureLength, data, dataLength, abstract in
        guard let signature, let signatureLength, let data, let context = abstract?.pointee else { return -1 }
        let request = Unmanaged<SignatureCallback>.fromOpaque(context).takeUnretainedValue()
        switch request.sign(Array(UnsafeBufferPointer(start: data, count: dataLength))) {
        case .failure(let failure):
            request.failure = failure
            return -1
        case .success(let bytes):
            guard let buffer = malloc(max(bytes.count, 1))?.assumingMemoryBound(to: UInt8.self) else { return -1 }
            buffer.initialize(from: bytes, count: bytes.count)
            signature.pointee = buffer
            signatureLength.pointee = bytes.count
            request.failure = nil
            return 0
        }
    }
}
