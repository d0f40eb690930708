import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Helpers for the session's TCP socket: a non-blocking connect with Nagle off.
enum TCPSocket {
    /// A failed socket call: errno, or a resolver message.
    struct Failure: Error {
        var code: Int32
        var message: String
    }

    /// The addresses `host:port` resolves to.
    ///
    /// A numeric address is read at once; a name is resolved on a thread of its own, since
    /// getaddrinfo may wait seconds for DNS and the loop thread it would otherwise run on drives
    /// many other sessions (the handshake throttle bounds how many resolve at once).
    static func addresses(host: String, port: Int) async -> Result<[(family: Int32, address: [UInt8])], Failure> {
        if case .success(let numeric) = lookUp(host: host, port: port, numericOnly: true) { return .success(numeric) }
        return await withCheckedContinuation { resolved in
            let resolver = Thread { resolved.resume(returning: lookUp(host: host, port: port, numericOnly: false)) }
            resolver.stackSize = 256 * 1024
            resolver.name = "ssh-resolve"
            resolver.start()
        }
    }

    /// getaddrinfo; with `numericOnly`, fails at once unless `host` is an IP address.
    private static func lookUp(host: String, port: Int, numericOnly: Bool) -> Result<[(family: Int32, address: [UInt8])], Failure> {
        var hints = addrinfo()
        hints.ai_flags = numericOnly ? AI_NUMERICHOST : 0
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let list else { return .failure(Failure(code: rc, message: String(cString: gai_strerror(rc)))) }
        defer { freeaddrinfo(list) }
        var result: [(Int32, [UInt8])] = []
        var entry: UnsafeMutablePointer<addrinfo>? = list
        while let current = entry {
            let info = current.pointee
            if let address = info.ai_addr {
                let bytes = UnsafeRawBufferPointer(start: address, count: Int(info.ai_addrlen))
                result.append((info.ai_family, Array(bytes)))
            }
            entry = info.ai_next
        }
        return .success(result)
    }

    /// A non-blocking TCP socket with TCP_NODELAY, connecting to `address`.
    ///
    /// Returns the descriptor and whether the connect completed at once; the caller waits for
    /// writability and then checks `pendingError`.
    static func startConnect(family: Int32, address: [UInt8]) -> Result<(fd: Int32, done: Bool), Failure> {
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .failure(Failure(code: errno, message: describe(errno))) }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        let rc = address.withUnsafeBytes {
            connect(fd, $0.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(address.count))
        }
        if rc == 0 { return .success((fd, true)) }
        let error = errno
        if error == EINPROGRESS { return .success((fd, false)) }
        Glibc.close(fd)
        return .failure(Failure(code: error, message: describe(error)))
    }

    /// The error of a finished non-blocking connect (0 when it succeeded).
    static func pendingError(_ fd: Int32) -> Int32 {
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        return error
    }

    /// Send-buffer room asked for before a packet libssh2 builds on its own stack (channel EOF,
    /// keepalive: under 100 bytes encrypted; see `hasRoom`).
    static let stackPacketRoom = 4096

    /// Whether the socket's send buffer has room for `bytes` more at once (Linux: `SIOCOUTQ`
    /// against half of `SO_SNDBUF`, the kernel counting its own overhead in the other half).
    ///
    /// libssh2 1.10 builds a few packets (channel EOF, keepalive) in its own stack frame: when the
    /// socket takes only part of one, finishing it needs the very same call from the same stack
    /// depth, and every other packet on the session fails with `LIBSSH2_ERROR_BAD_USE` until then.
    /// Sending such a packet only when it fits avoids that.
    static func hasRoom(_ fd: Int32, for bytes: Int) -> Bool {
        var queued: Int32 = 0
        var buffer: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard ioctl(fd, UInt(TIOCOUTQ), &queued) == 0,
              getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buffer, &length) == 0 else { return true }
        return Int(buffer) / 2 - Int(queued) >= bytes
    }

    /// `strerror` as a Swift string.
    static func describe(_ error: Int32) -> String { String(cString: strerror(error)) }
}
