import Foundation
import Testing
import SSH

extension SandboxSuites {
    /// Many hosts at once from one process: every session has its own sleeping thread, none blocks
    /// Swift's cooperative pool.
    @Suite("SSH at scale", .serialized)
    struct SSHScaleTests {
        @Test func hundredHostsAtOnce() async throws {
            try await TestSandbox.with(hosts: 100) { sandbox in
                let targets = try sandbox.hosts.map { try sandbox.target($0.alias) }
                let outputs = try await withThrowingTaskGroup(of: (String, String).self) { group in
                    for target in targets {
                        group.addTask {
                            let connection = try await SSHConnection.connect(to: target)
                            let result = try await connection.exec("echo $((6 * 7)) from $(hostname)")
                            await connection.close()
                            return (target.name, result.stdoutText)
                        }
                    }
                    var outputs: [String: String] = [:]
                    for try await (name, text) in group { outputs[name] = text }
                    return outputs
                }
                #expect(outputs.count == 100)
                #expect(outputs.values.allSatisfy { $0.hasPrefix("42 from ") })
            }
        }
    }
}
