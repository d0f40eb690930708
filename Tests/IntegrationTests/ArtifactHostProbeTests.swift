import DeployerExecution
import Foundation
import Testing

/// An artifact built for what the hosts answered to a build step's `host_probe` (the python-wheels
/// recipe's Python version and ABI) goes only to hosts that still answer so: `push --artifact` and
/// `promote` ask the hosts again and refuse, before any host is touched, hosts whose Python differs.
/// They ask over the push's own connections: one SSH login per host, not one for the question and
/// another for the push (an extra handshake per host, ~5.5 round trips at WAN latency); `promote` asks
/// the source's hosts over the connections that read which release they run.
@Suite(.serialized, .tags(.sandbox)) struct ArtifactHostProbeTests {
    /// An app whose build step records the hosts' `python3 --version`, `staging` on host1 and `prod` on
    /// host2; the hosts' commands find a program in /srv/bin before the system's.
    static func app() async throws -> AppRepository {
        let app = try await AppRepository(hosts: ["host1"], tasks: """
              wheels:
                local: true
                host_probe: python3 --version
                run: mkdir -p dist && echo "built for $DEPLOYER_HOST_PROBE" > dist/python.txt
            """)
        let recipe = try String(contentsOfFile: app.path + "/deploy.yml", encoding: .utf8)
        try app.write("deploy.yml", recipe
            .replacingOccurrences(of: "deploy_to: /srv/app\n", with: "deploy_to: /srv/app\nshell: \(hostShell) sh -c\n")
            .replacingOccurrences(of: "environments:\n", with: "environments:\n  prod:\n    hosts: { web: [host2] }\n"))
        try await app.commit("a build step for the hosts' Python, and prod")
        return app
    }

    static let hostShell = "env PATH=/srv/bin:/usr/local/bin:/usr/bin:/bin"

    /// Puts a `python3` that says it is Python 3.12.1 first on `host`'s PATH.
    static func fakePython312(on host: String, in sandbox: Sandbox) async throws {
        try await sandbox.exec(host, "mkdir -p /srv/bin && printf '#!/bin/sh\\necho Python 3.12.1\\n' >/srv/bin/python3 "
            + "&& chmod 755 /srv/bin/python3")
    }

    @Test func anArtifactBuiltForTheHostsPythonGoesOnlyToHostsThatStillAnswerSo() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await Self.app()
            defer { app.remove() }
            let python = try await sandbox.exec("host1", Self.hostShell + " python3 --version").trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(python.hasPrefix("Python 3.") && python != "Python 3.12.1", "\(python)")
            let file = app.path + "/app.artifact"
            let build = try await sandbox.deployer(["build", "staging", "--out", file], in: app.path)
            #expect(build.status == 0, "\(build.output)")
            let manifest = try await ProcessRunner.run("/usr/bin/env", ["tar", "-xOf", file, ArtifactFile.manifestMember])
            let recorded = try #require(try JSONSerialization.jsonObject(with: Data(manifest.stdout)) as? [String: Any])
            #expect(recorded["host_probes"] as? [String: String] == ["wheels": python], "\(recorded)")

            try await Self.fakePython312(on: "host2", in: sandbox)
            let refused = try await sandbox.deployer(["push", "prod", "--artifact", file], in: app.path)
            #expect(refused.status == 2, "\(refused.output)")
            for phrase in ["the artifact file \(file) is not the artifact of this push; nothing was changed on any host",
                           "it was built for hosts that answer '\(python)' to build step 'wheels''s host_probe; "
                               + "host2 answers 'Python 3.12.1'"] {
                #expect(refused.output.contains(phrase), "\(refused.output)")
            }
            #expect(try await !sandbox.exists("host2", "/srv/app"), "host2 was not touched")

            let stagingLogins = try sandbox.logins("host1")
            let staging = try await sandbox.deployer(["push", "staging", "--artifact", file], in: app.path)
            #expect(staging.status == 0, "\(staging.output)")
            #expect(try sandbox.logins("host1") - stagingLogins == 1, "push --artifact logs in to its host once")
            #expect(try await sandbox.exec("host1", "cat /srv/app/current/dist/python.txt") == "built for \(python)\n")

            // promote finds staging's build in the controller's cache by the hosts' answer: not for host2's Python.
            let mismatched = try await sandbox.deployer(["promote", "staging", "prod"], in: app.path)
            #expect(mismatched.status == 2, "\(mismatched.output)")
            #expect(mismatched.output.contains("the artifact staging runs (release "), "\(mismatched.output)")
            #expect(mismatched.output.contains("host2 answers 'Python 3.12.1'"), "\(mismatched.output)")
            #expect(try await !sandbox.exists("host2", "/srv/app"), "host2 was not touched")

            try await sandbox.exec("host2", "rm /srv/bin/python3")
            let (host1Logins, host2Logins) = (try sandbox.logins("host1"), try sandbox.logins("host2"))
            let promoted = try await sandbox.deployer(["promote", "staging", "prod"], in: app.path)
            #expect(promoted.status == 0, "\(promoted.output)")
            #expect(try sandbox.logins("host2") - host2Logins == 1, "promote logs in to each host it pushes to once")
            #expect(try sandbox.logins("host1") - host1Logins == 1,
                    "promote logs in to each source host once: what it runs and its host_probe answer in one login")
            #expect(try await sandbox.exec("host2", "cat /srv/app/current/dist/python.txt") == "built for \(python)\n")
        }
    }

    /// `deployer build` asks the hosts a build step's `host_probe`, so it takes the SSH options of every
    /// command that talks to hosts: here `-F`, with no `DEPLOYER_SSH_CONFIG` to fall back on. It took
    /// none, so a build for hosts only an ssh_config given with `-F` names stopped at "Unknown option '-F'".
    @Test func buildAsksTheHostsThroughTheSSHOptionsItIsGiven() async throws {
        try await Sandbox.with(hosts: 1) { sandbox in
            let app = try await Self.app()
            defer { app.remove() }
            let python = try await sandbox.exec("host1", Self.hostShell + " python3 --version").trimmingCharacters(in: .whitespacesAndNewlines)
            let file = app.path + "/app.artifact"
            let build = try await sandbox.deployer(["build", "staging", "--out", file, "-F", sandbox.sshConfig,
                                                    "--host-key-policy", "strict", "--max-startups", "1"],
                                                   in: app.path, environment: ["DEPLOYER_SSH_CONFIG": nil])
            #expect(build.status == 0, "\(build.output)")
            let manifest = try await ProcessRunner.run("/usr/bin/env", ["tar", "-xOf", file, ArtifactFile.manifestMember])
            let recorded = try #require(try JSONSerialization.jsonObject(with: Data(manifest.stdout)) as? [String: Any])
            #expect(recorded["host_probes"] as? [String: String] == ["wheels": python], "\(recorded)")
        }
    }
}
