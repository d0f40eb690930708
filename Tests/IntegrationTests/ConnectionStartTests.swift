import Foundation
import Testing

/// `--max-startups`: how many SSH connections a command sets up at once, whatever `--parallel` says.
@Suite(.tags(.sandbox)) struct ConnectionStartTests {
    /// Twenty hosts reached through one bastion whose sshd drops every unauthenticated connection
    /// past the third (`MaxStartups 3:100:3`); each host's connection starts with a handshake on
    /// the bastion. With `--max-startups 1` the push reaches every host and the bastion drops none
    /// (with 100 it dropped some, the retries getting every host there).
    @Test func aPushThroughABastionThatAdmitsThreeStartingConnections() async throws {
        try await Sandbox.with(hosts: 21, sshdOptions: ["MaxStartups 3:100:3"]) { sandbox in
            let hosts = Array(sandbox.hosts.dropFirst())
            let config = sandbox.directory + "/bastion_config"
            let base = try String(contentsOfFile: sandbox.sshConfig, encoding: .utf8)
            try ("Host \(hosts.joined(separator: " "))\n  ProxyJump host1\n\n" + base)
                .write(toFile: config, atomically: true, encoding: .utf8)
            let app = try await AppRepository(hosts: hosts)
            defer { app.remove() }
            let push = await (try DeployerProcess(["push", "staging", "--max-startups", "1"], in: app.path,
                                                  sshConfig: config)).wait()
            #expect(push.status == 0, "\(push.output)")
            let release = try #require(try await sandbox.current("host2"))
            for host in hosts { #expect(try await sandbox.current(host) == release, "\(host)") }
            let bastionLog = try String(contentsOfFile: sandbox.directory + "/hosts/host1/sshd.log", encoding: .utf8)
            #expect(!bastionLog.contains("past MaxStartups"), "the bastion dropped connections")
        }
    }

    @Test func maxStartupsBelowOneIsRefused() async throws {
        let run = await (try DeployerProcess(["run", "--hosts", "h", "--max-startups", "0", "--", "true"],
                                             in: NSTemporaryDirectory(), sshConfig: "/dev/null")).wait()
        #expect(run.status == 2, "\(run.output)")
        #expect(run.output.contains("--max-startups must be at least 1"), "\(run.output)")
    }
}
