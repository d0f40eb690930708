import Foundation
import Testing
@testable import SSH

extension SandboxSuites {
    /// Hosts that fail in the ways real networks fail: each is a clear error within its timeout,
    /// and the other hosts carry on.
    @Suite("SSH unreachable and failing hosts", .serialized)
    struct SSHFailureTests {
        /// A listening TCP socket on 127.0.0.1 that never speaks; closed by `close`.
        private func silentListener() throws -> (fd: Int32, port: Int) {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
            listen(fd, 16)
            _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
            return (fd, Int(UInt16(bigEndian: address.sin_port)))
        }

        private func options(_ sandbox: TestSandbox, extra: [String] = []) -> [String] {
            // ssh_config keeps the first value: `extra` comes first to override.
            extra + ["IdentityFile \(sandbox.ed25519Key)", "IdentitiesOnly yes", "UserKnownHostsFile \(sandbox.knownHostsPath)", "ConnectTimeout 2"]
        }

        @Test func refusedAndSilentHostsFailClearlyWhileOthersWork() async throws {
            try await TestSandbox.with(hosts: 1) { sandbox in
                let silent = try silentListener()
                defer { close(silent.fd) }
                let closed = try silentListener()
                close(closed.fd)
                let healthy = try sandbox.target("host1")
                let silentTarget = try sandbox.target(port: silent.port, options: options(sandbox))
                let refusedTarget = try sandbox.target(port: closed.port, options: options(sandbox))
                let started = ContinuousClock.now

                async let refused: Result<SSHConnection, any Error> = Result(catching: { try await SSHConnection.connect(to: refusedTarget) })
                async let mute: Result<SSHConnection, any Error> = Result(catching: { try await SSHConnection.connect(to: silentTarget) })
                let connection = try await SSHConnection.connect(to: healthy)
                let result = try await connection.exec("echo fine")
                #expect(result.stdoutText == "fine\n")
                #expect(ContinuousClock.now - started < .seconds(1))
                await connection.close()

                let refusedError = try #require(await refused.failureError as? SSHError)
                #expect(refusedError.kind == .unreachable)
                #expect(refusedError.description.contains("Connection refused"))
                let silentError = try #require(await mute.failureError as? SSHError)
                #expect(silentError.kind == .unreachable)
                #expect(silentError.description.contains("sent no SSH banner within 2"))
                let elapsed = ContinuousClock.now - started
                #expect(elapsed >= .seconds(2) && elapsed < .seconds(4))
            }
        }

        @Test func hostWhoseLinkIsCutMidSessionIsDeclaredGone() async throws {
            try await TestSandbox.with(hosts: 1) { sandbox in
                let namespace = try CutLink.start(sandbox: sandbox)
                defer { namespace.remove() }
                let target = try sandbox.target(port: 22, hostName: CutLink.hostAddress, options: [
                    "ServerAliveInterval 2", "ServerAliveCountMax 2",
                ] + options(sandbox, extra: ["UserKnownHostsFile \(namespace.knownHosts)"]))
                let doomed = try await SSHConnection.connect(to: target)
                let healthy = try await SSHConnection.connect(to: sandbox.target("host1"))
                let started = ContinuousClock.now
                async let outcome: Result<SSHExecResult, any Error> = Result(catching: { try await doomed.exec("sleep 60") })
                try await Task.sleep(for: .milliseconds(500))
                try namespace.cut()
                let other = try await healthy.exec("sleep 1; echo alive")
                #expect(other.stdoutText == "alive\n")
                let error = try #require(await outcome.failureError as? SSHError)
                #expect(error.kind == .disconnected)
                #expect(error.description.contains("went silent"))
                #expect(ContinuousClock.now - started < .seconds(9))
                let again = try await healthy.exec("echo still")
                #expect(again.stdoutText == "still\n")
                await doomed.close()
                await healthy.close()
            }
        }
    }
}

extension Result where Failure == any Error {
    /// Runs an async throwing body into a Result.
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }

    /// The error, if this is a failure.
    var failureError: (any Error)? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
