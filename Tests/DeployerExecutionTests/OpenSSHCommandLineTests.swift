import Foundation
@testable import DeployerExecution
import DeployerModel
import SSH
import Testing

/// The OpenSSH transport's command lines: which settings deployer forces (and only those), the host
/// key policy both transports share, and the host as written (alias, or user, host and port).
@Suite struct OpenSSHCommandLineTests {
    func line(_ host: String, policy: HostKeyPolicy = .strict, config: String? = "/home/u/deploy_ssh_config") -> OpenSSHCommandLine {
        OpenSSHCommandLine(configFile: config, address: HostAddress(parsing: host)!, hostKeyPolicy: policy,
                           connectTimeoutSeconds: 10, keepAliveInterval: 15, keepAliveCountMax: 3,
                           controlPath: "/run/user/1000/deployer-ssh-AbC123/%C")
    }

    @Test func theMasterAuthenticatesThenServesFromItsPrivateSocket() {
        #expect(line("web1").master(log: "/run/user/1000/deployer-ssh-AbC123/web1.log") == [
            "-F", "/home/u/deploy_ssh_config", "-S", "/run/user/1000/deployer-ssh-AbC123/%C", "-T", "-o", "BatchMode=yes",
            "-o", "StrictHostKeyChecking=yes", "-o", "ConnectTimeout=10", "-o", "ServerAliveInterval=15",
            "-o", "ServerAliveCountMax=3", "-o", "ControlMaster=yes", "-o", "ControlPersist=yes",
            "-E", "/run/user/1000/deployer-ssh-AbC123/web1.log", "-f", "-N", "--", "web1",
        ])
    }

    @Test func aCommandGoesThroughTheMasterAsOneWordAfterTheHost() {
        let command = line("deploy@10.0.0.7:2222", config: nil).command("-rf; sh -s")
        #expect(Array(command.suffix(11)) == ["-l", "deploy", "-p", "2222", "-o", "ControlMaster=no", "-O", "proxy", "--",
                                              "10.0.0.7", "-rf; sh -s"])
        #expect(!command.contains("-F"))
        #expect(line("web1").control("exit").suffix(4) == ["-O", "exit", "--", "web1"])
    }

    @Test func hostKeysAreCheckedAsTheLibssh2TransportChecksThem() {
        for (policy, value) in [(HostKeyPolicy.strict, "yes"), (.acceptNew, "accept-new"), (.off, "no")] {
            #expect(line("web1", policy: policy).master(log: "/tmp/l").contains("StrictHostKeyChecking=" + value))
        }
    }

    @Test func theSocketPathFitsAUnixSocketEvenUnderADeepTemporaryDirectory() {
        let deep = "/tmp/" + String(repeating: "d", count: 80)
        #expect(OpenSSHControlDirectory.base(environment: ["TMPDIR": deep]) == "/tmp")
        #expect(OpenSSHControlDirectory.base(environment: ["TMPDIR": "/tmp/"]) == "/tmp")
    }

    /// `ssh -M` binds its socket first as `PATH.` and 16 random characters: a directory that left room
    /// for `%C` alone (a 39-byte `XDG_RUNTIME_DIR`: 100 of 104 bytes) made every master fail with
    /// "too long for Unix domain socket" and every host unreachable.
    @Test func theMastersTemporarySocketNameFitsToo() throws {
        let fits = "/tmp/" + String(repeating: "f", count: 12), tooDeep = "/tmp/" + String(repeating: "d", count: 34)
        for directory in [fits, tooDeep] { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        defer { for directory in [fits, tooDeep] { try? FileManager.default.removeItem(atPath: directory) } }
        #expect(OpenSSHControlDirectory.base(environment: ["XDG_RUNTIME_DIR": tooDeep]) == "/tmp")
        #expect(OpenSSHControlDirectory.base(environment: ["XDG_RUNTIME_DIR": fits]) == fits)
        let longest = fits + "/deployer-ssh-XXXXXX/" + String(repeating: "c", count: 40) + "." + String(repeating: "r", count: 16)
        #expect(longest.utf8.count <= 107)
    }
}
