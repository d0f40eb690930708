import DeployerModel
import Foundation
import Testing

/// `deployer run` (the built executable) against real sandbox hosts: per-host output, the
/// summary line, and exit statuses 0, 1 and 4. Its output is a pipe, so it is grouped per host.
@Suite(.tags(.sandbox)) struct RunCommandTests {
    @Test(arguments: SSHTransportKind.allCases)
    func unameOnThreeHostsGroupsEachHostsOutput(_ transport: SSHTransportKind) async throws {
        try await Sandbox.with(hosts: 3, transport: transport) { sandbox in
            let run = try await sandbox.deployer(["run", "--hosts", "host1,host2,host3", "--", "uname", "-a"], in: sandbox.directory)
            #expect(run.status == 0, "\(run.output)")
            let uname = try #require(run.output.split(separator: "\n").first { $0.hasPrefix("Linux ") }, "\(run.output)")
            for host in sandbox.hosts {
                #expect(run.output.contains("== \(host) (ok)\n\(uname)\n"), "\(run.output)")
            }
            #expect(run.output.contains("3 hosts: 3 ok, 0 failed, 0 unreachable"), "\(run.output)")
            #expect(!run.output.contains(" | "), "no per-line prefixes when not a terminal: \(run.output)")
        }
    }

    /// With an environment, `{{ }}` values are filled as in tasks (before, `{{ shared }}` reached the host as written).
    @Test(arguments: SSHTransportKind.allCases)
    func anEnvironmentsValuesAreFilledInTheCommand(_ transport: SSHTransportKind) async throws {
        try await Sandbox.with(hosts: 2, transport: transport) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            let run = try await sandbox.deployer(["run", "staging", "--", "echo", "{{ shared }}", "{{ host }}", "{{ app }}"],
                                                 in: app.path)
            #expect(run.status == 0, "\(run.output)")
            #expect(run.output.contains("/srv/app/shared host1 demo") && run.output.contains("/srv/app/shared host2 demo"),
                    "\(run.output)")
            let unknown = try await sandbox.deployer(["run", "staging", "--", "echo", "{{ shraed }}"], in: app.path)
            #expect(unknown.status == 2 && unknown.output.contains("'{{ shraed }}'"), "\(unknown.output)")
        }
    }

    @Test func linesWrittenOverTimeStayInTheirHostsBlock() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let run = try await sandbox.deployer(
                ["run", "--hosts", "host1,host2", "--", "echo first; sleep 0.3; echo second >&2; sleep 0.3; echo third"],
                in: sandbox.directory)
            #expect(run.status == 0, "\(run.output)")
            for host in sandbox.hosts {
                #expect(run.output.contains("== \(host) (ok)\nfirst\nsecond\nthird\n"), "\(run.output)")
            }
        }
    }

    @Test(arguments: SSHTransportKind.allCases)
    func aFailingCommandOnOneHostExitsOneNamingIt(_ transport: SSHTransportKind) async throws {
        try await Sandbox.with(hosts: 3, transport: transport) { sandbox in
            try await sandbox.exec("host2", "touch /srv/broken")
            let run = try await sandbox.deployer(
                ["run", "--hosts", "host1,host2,host3", "--", "test ! -e /srv/broken || exit 3"], in: sandbox.directory)
            #expect(run.status == 1, "\(run.output)")
            #expect(run.output.contains("== host1 (ok)") && run.output.contains("== host3 (ok)"), "\(run.output)")
            #expect(run.output.contains("== host2 (exit 3)"), "\(run.output)")
            #expect(run.output.contains("3 hosts: 2 ok, 1 failed (host2: exit 3), 0 unreachable"), "\(run.output)")
        }
    }

    @Test(arguments: SSHTransportKind.allCases)
    func anUnreachableHostExitsFourWithTheReason(_ transport: SSHTransportKind) async throws {
        try await Sandbox.with(hosts: 2, transport: transport) { sandbox in
            let down = "deploy@127.0.0.1:1"
            let run = try await sandbox.deployer(["run", "--hosts", "host1,\(down),host2", "--", "true"], in: sandbox.directory)
            #expect(run.status == 4, "\(run.output)")
            #expect(run.output.contains("== host1 (ok)") && run.output.contains("== host2 (ok)"), "\(run.output)")
            // In deployer's words with libssh2, in ssh's with OpenSSH ("connect to host 127.0.0.1 port 1: …").
            let reason = transport == .libssh2 ? "cannot connect to 127.0.0.1:1: Connection refused" : "port 1: Connection refused"
            #expect(run.output.contains("\(down) | error: ") && run.output.contains(reason), "\(run.output)")
            #expect(run.output.contains("3 hosts: 2 ok, 0 failed, 1 unreachable (\(down))"), "\(run.output)")
        }
    }

    @Test(arguments: SSHTransportKind.allCases)
    func aHostBehindAProxyJumpRunsThroughIt(_ transport: SSHTransportKind) async throws {
        try await Sandbox.with(hosts: 2, transport: transport) { sandbox in
            let config = try sandbox.sshConfig("jump_config", giving: "host2", ["ProxyJump host1"])
            let process = try DeployerProcess(["run", "--ssh-transport", transport.rawValue, "--hosts", "host2", "--", "echo via $SSH_CONNECTION"],
                                              in: sandbox.directory, sshConfig: config, overrides: ["XDG_RUNTIME_DIR": sandbox.runtimeDirectory])
            let run = await process.wait()
            #expect(run.status == 0, "\(run.output)")
            #expect(run.output.contains("== host2 (ok)\nvia 127.0.0.1 "), "\(run.output)")
            let host1Log = try String(contentsOfFile: sandbox.directory + "/hosts/host1/sshd.log", encoding: .utf8)
            #expect(host1Log.contains("Accepted publickey for deploy"), "host2 was reached through host1: \(host1Log)")
        }
    }

    /// An ssh_config setting deployer cannot honour fails the host that obtains it, naming the
    /// file and line and the way out; the other hosts run (before, it was silently ignored).
    @Test func aRefusedSSHConfigSettingFailsItsHostNamingTheLine() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let config = try sandbox.sshConfig("agent_config", giving: "host2", ["ForwardAgent yes"])
            let run = await (try DeployerProcess(["run", "--hosts", "host1,host2", "--", "true"], in: sandbox.directory, sshConfig: config)).wait()
            #expect(run.status == 1, "\(run.output)")
            #expect(run.output.contains("== host1 (ok)"), "\(run.output)")
            #expect(run.output.contains("\(config):2: ForwardAgent yes (deployer does not forward the agent to hosts)"), "\(run.output)")
            #expect(run.output.contains("transport: openssh"), "\(run.output)")
        }
    }

    /// A ProxyCommand that cannot even be started leaves its host unreachable (exit 4), as one
    /// that starts and fails does (it used to exit 1, as if the command had failed on the host).
    @Test func aProxyCommandThatCannotStartIsUnreachable() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let config = try sandbox.sshConfig("proxy_config", giving: "host2", ["ProxyCommand ssh -W %h:%p host1"])
            let process = try DeployerProcess(["run", "--hosts", "host1,host2", "--", "true"], in: sandbox.directory, sshConfig: config,
                                              overrides: ["SHELL": "/nonexistent/shell"])
            let run = await process.wait()
            #expect(run.status == 4, "\(run.output)")
            #expect(run.output.contains("cannot run the ProxyCommand ssh -W 127.0.0.1:"), "\(run.output)")
            #expect(run.output.contains("1 unreachable (host2)"), "\(run.output)")
        }
    }
}
