import DeployerExecution
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
            #expect(run.output.contains("\(config):2: ForwardAgent yes (libssh2 1.10 cannot serve the agent connections a host opens back"), "\(run.output)")
            #expect(run.output.contains("transport: openssh"), "\(run.output)")
        }
    }

    /// `ForwardAgent yes` is refused on libssh2 (above) and honoured over OpenSSH: the host's
    /// `ssh-add -l` reaches the controller's (empty) agent, "no identities" (exit 1), where
    /// without forwarding it finds no agent at all (exit 2).
    @Test func forwardAgentIsHonouredOverOpenSSH() async throws {
        try await Sandbox.with(hosts: 1, transport: .openssh) { sandbox in
            let socket = sandbox.directory + "/agent.sock"
            let agent = try ChildProcess("/usr/bin/ssh-agent", ["-D", "-a", socket], stdout: .null, stderr: .null)
            defer {
                agent.signal(SIGKILL)
                _ = agent.waitForExit()
            }
            while !FileManager.default.fileExists(atPath: socket) { try await Task.sleep(for: .milliseconds(20)) }
            let command = ["run", "--ssh-transport", "openssh", "--hosts", "host1", "--", "ssh-add -l; echo agent=$?"]
            let overrides: [String: String?] = ["SSH_AUTH_SOCK": socket, "XDG_RUNTIME_DIR": sandbox.runtimeDirectory]
            let plain = await (try DeployerProcess(command, in: sandbox.directory, sshConfig: sandbox.sshConfig, overrides: overrides)).wait()
            #expect(plain.output.contains("agent=2"), "\(plain.output)")
            let config = try sandbox.sshConfig("agent_config", giving: "host1", ["ForwardAgent yes"])
            let forwarded = await (try DeployerProcess(command, in: sandbox.directory, sshConfig: config, overrides: overrides)).wait()
            #expect(forwarded.status == 0, "\(forwarded.output)")
            #expect(forwarded.output.contains("The agent has no identities.\nagent=1"), "\(forwarded.output)")
        }
    }

    /// DEPLOYER_SSH_PASSPHRASE cannot reach ssh (BatchMode): the OpenSSH transport refuses to
    /// start rather than ignore it (before, it was ignored without a word).
    @Test func aPassphraseInTheEnvironmentIsRefusedOverOpenSSH() async throws {
        try await Sandbox.with(hosts: 1, transport: .openssh) { sandbox in
            let run = await (try DeployerProcess(["run", "--ssh-transport", "openssh", "--hosts", "host1", "--", "true"], in: sandbox.directory,
                                                 sshConfig: sandbox.sshConfig, overrides: ["DEPLOYER_SSH_PASSPHRASE": "correct horse",
                                                                                           "XDG_RUNTIME_DIR": sandbox.runtimeDirectory])).wait()
            #expect(run.status == 2, "\(run.output)")
            #expect(run.output.contains("DEPLOYER_SSH_PASSPHRASE is set, but --ssh-transport openssh cannot use it"), "\(run.output)")
            #expect(run.output.contains("ssh-add"), "\(run.output)")
            #expect(!run.output.contains("correct horse"), "\(run.output)")
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
