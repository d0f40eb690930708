import Foundation
import DeployerExecution
import Testing

/// `--max-startups`: how many SSH connections a command sets up at once, whatever `--parallel` says.
@Suite(.tags(.sandbox)) struct ConnectionStartTests {
    /// Twenty hosts reached through one bastion whose sshd drops every unauthenticated connection
    /// past the third (`MaxStartups 3:100:3`); each host's connection starts with a handshake on
    /// the bastion. With `--max-startups 1` the push reaches every host and the bastion drops none
    /// (with 100 it dropped some, the retries getting every host there).
    @Test func aPushThroughABastionThatAdmitsThreeStartingConnections() async throws {
        try await Sandbox.with(hosts: 21, sshdOptions: ["MaxStartups 3:100:3"]) { sandbox in
            let (hosts, config) = try behindHost1(sandbox)
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

    /// Hosts behind one bastion open their tunnels one after another while the hosts already
    /// connected sit idle. Any libssh2 call reads everything on the bastion's socket, so another
    /// tunnel's read can take the answer to an open off the socket, which then wakes nobody: the
    /// open was lost until its 10 s deadline ("no forwarded connection … within 10.0 seconds",
    /// seen in CI). Pausing and resuming the controller every few milliseconds (a busy CI runner)
    /// lets answers land in that window; without the fix 2 of 4 pushes to 12 hosts lost a host so.
    @Test func tunnelOpensAreNotLostWhileTheControllerIsPausedAndResumed() async throws {
        try await Sandbox.with(hosts: 21) { sandbox in
            let (hosts, config) = try behindHost1(sandbox)
            let app = try await AppRepository(hosts: hosts)
            defer { app.remove() }
            for arguments in [["push", "staging", "--max-startups", "1"], ["push", "staging", "--force", "--max-startups", "1"]] {
                let push = try DeployerProcess(arguments, in: app.path, sshConfig: config)
                let jitter = Task.detached {
                    while !Task.isCancelled {
                        push.pause()
                        try? await Task.sleep(for: .milliseconds(2))
                        push.resume()
                        try? await Task.sleep(for: .milliseconds(3))
                    }
                    push.resume()
                }
                let run = await push.wait()
                jitter.cancel()
                #expect(run.status == 0, "\(arguments.joined(separator: " ")):\n\(run.output)")
            }
        }
    }

    /// Every sandbox host but host1, and an ssh_config that reaches them through host1 (`ProxyJump`).
    private func behindHost1(_ sandbox: Sandbox) throws -> (hosts: [String], config: String) {
        let hosts = Array(sandbox.hosts.dropFirst())
        let config = sandbox.directory + "/bastion_config"
        let base = try String(contentsOfFile: sandbox.sshConfig, encoding: .utf8)
        try ("Host \(hosts.joined(separator: " "))\n  ProxyJump host1\n\n" + base)
            .write(toFile: config, atomically: true, encoding: .utf8)
        return (hosts, config)
    }

    @Test func maxStartupsBelowOneIsRefused() async throws {
        let run = await (try DeployerProcess(["run", "--hosts", "h", "--max-startups", "0", "--", "true"],
                                             in: NSTemporaryDirectory(), sshConfig: "/dev/null")).wait()
        #expect(run.status == 2, "\(run.output)")
        #expect(run.output.contains("--max-startups must be at least 1"), "\(run.output)")
    }
}

/// The controller's file descriptors: raised to the hard limit, and a fleet past it refused before any connection.
@Suite struct FileDescriptorLimitTests {
    @Test func aFleetPastTheHardLimitIsRefusedBeforeConnecting() async throws {
        let hosts = (1...40).map { "web\($0)" }.joined(separator: ",")
        let child = try ChildProcess("/usr/bin/prlimit", ["--nofile=100:100", DeployerProcess.executable,
                                                          "run", "--hosts", hosts, "--", "true"],
                                     environment: ["DEPLOYER_SSH_CONFIG": "/dev/null", "PATH": "/usr/bin:/bin"],
                                     stderr: .standardOutput)
        let output = String(decoding: child.standardOutput!.readToEndRetryingInterrupts(), as: UTF8.self)
        #expect(child.waitForExit().status == 2, "\(output)")
        #expect(output.contains("40 hosts need about 224 open files on this controller (4 per host), but its hard limit is 100"),
                "\(output)")
        #expect(output.contains("deploy part of the fleet at a time with --hosts or --roles"), "\(output)")
    }
}
