import Checksums
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension SSHSession {
    /// Bytes read from the local file and written to the channel at a time: one SSH packet of
    /// half the most libssh2 sends per write. Allocated per chunk, read only once it may be sent
    /// and freed once sent; a chunk is still held while the socket is full (libssh2 must be given
    /// the same bytes again), which most uploads are at a hundred hosts on one machine: 16 KiB
    /// rather than 32 made the peak 1.5 MB smaller there, a push to 50 hosts as fast (256 KiB per
    /// upload in flight, plus a copy, once made 50 MB with a hundred hosts).
    static let uploadChunkSize = 16 * 1024

    /// Streams `localPath` into a temporary file beside `remotePath` through `cat` on an exec
    /// channel, has the host check its SHA-256 against the local one, and renames it into place
    /// only when they match (the temporary file is removed otherwise). Returns the SHA-256 hex.
    ///
    /// `alter` changes each chunk after hashing; tests use it to simulate corruption in transit.
    func upload(
        localPath: String, remotePath: String, mode: Int, expectedSHA256: String? = nil,
        progress: (@Sendable (Int64) -> Void)?, alter: ((inout [UInt8]) -> Void)? = nil
    ) async throws -> String {
        let reader = try FileChunkReader(path: localPath, host: host)
        let expected: String
        if let expectedSHA256 {
            guard expectedSHA256.count == 64, expectedSHA256.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
                throw SSHError(.local, host: host, "'\(expectedSHA256)' is not a SHA-256 in lowercase hex")
            }
            expected = expectedSHA256
        } else {
            expected = try hashFile(reader.fd, path: localPath)
            guard lseek(reader.fd, 0, SEEK_SET) == 0 else {
                throw SSHError(.local, host: host, "cannot rewind \(localPath): \(TCPSocket.describe(errno))")
            }
        }
        var sent: Int64 = 0
        let source = InputSource(next: {
            guard let chunk = try reader.next() else { return nil }
            sent += Int64(chunk.count)
            progress?(sent)
            guard let alter else { return chunk }
            var bytes = Array(chunk)
            alter(&bytes)
            return bytes[...]
        }, isExhausted: { reader.isAtEnd })
        let script = Self.uploadScript(remotePath: remotePath, mode: mode, sha256: expected)
        let result = try await run(script, input: source, deadline: nil, onDeadline: { SSHError(.timeout, host: self.host, "upload") }, capture: true, onOutput: nil)
        switch result.exitStatus {
        case 0 where result.exitSignal == nil:
            return expected
        case 3:
            let actual = String(decoding: result.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw SSHError(.verificationFailed, host: host,
                           "the copy of \(localPath) arrived corrupted: SHA-256 on the host is \(actual), expected \(expected); it was discarded and \(remotePath) left unchanged",
                           fix: "retry; if it happens again, check the host's disk and memory")
        default:
            let reason = result.stderrText.trimmingCharacters(in: .whitespacesAndNewlines)
            throw SSHError(.channel, host: host,
                           "uploading \(localPath) to \(remotePath) failed (\(result.statusDescription))\(reason.isEmpty ? "" : ": \(reason)")",
                           fix: "check that the directory exists and \(target.options.user) may write to it")
        }
    }

    /// The host side of an upload: write to a temporary name, verify, chmod, rename.
    /// Exit 3 with the actual digest on stdout means the content did not match.
    static func uploadScript(remotePath: String, mode: Int, sha256: String) -> String {
        let target = shellQuote(remotePath)
        let temporary = shellQuote(remotePath + ".deployer-upload")
        return [
            "t=\(temporary).$$; trap 'rm -f \"$t\"' EXIT; umask 077",
            "cat > \"$t\" || exit 2",
            // A copy the host cannot read back (its owner changed underfoot) is an error, not a corrupt copy.
            "a=$(sha256sum \"$t\") || exit 2; a=${a%% *}",
            "if [ \"$a\" != \(shellQuote(sha256)) ]; then echo \"$a\"; exit 3; fi",
            "chmod \(String(mode, radix: 8)) \"$t\" && mv -f \"$t\" \(target)",
        ].joined(separator: "; ")
    }

    private func hashFile(_ fd: Int32, path: String) throws -> String {
        var digest = SHA256()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(fd, buffer.baseAddress, buffer.count)
            guard count >= 0 else { throw SSHError(.local, host: host, "cannot read \(path): \(TCPSocket.describe(errno))") }
            if count == 0 { return SHA256.hex(digest.finalize()) }
            digest.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }
}
