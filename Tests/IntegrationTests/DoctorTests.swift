import DeployerExecution
import Foundation
import Testing

/// `deployer doctor` against sandbox hosts: a healthy host, then one broken setup per host (an
/// unknown host key, a key the host refuses, a world-writable deploy_to, a full disk, a missing
/// interpreter), each explained in one line, with the exit code.
@Suite(.tags(.sandbox)) struct DoctorTests {
    static let recipe = """
        app: demo
        source: { git: . }
        deploy_to: /srv/app
        envs:
          venv:
            key: [requirements.txt]
            build: "python3 -m venv {{env_dir}}"
        environments:
          healthy:
            hosts: { web: [host1] }
          broken:
            hosts: { web: [host1, host2, host3, host4], worker: [host5] }
            allow_role_differences: true
          reachable:
            hosts: { web: [host4], worker: [host5] }
            allow_role_differences: true
        tasks:
          restart:
            phase: after_switch
            roles: [web]
            run: touch {{shared}}/restarted
          jobs:
            phase: after_switch
            roles: [worker]
            run: "python9 manage.py process_jobs"
        """

    @Test func eachBrokenSetupIsOneLineWithItsFix() async throws {
        try await Sandbox.with(hosts: 5) { sandbox in
            let project = NSTemporaryDirectory() + "deployer-doctor-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: project, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: project) }
            try Self.recipe.write(toFile: project + "/deploy.yml", atomically: true, encoding: .utf8)

            let healthy = try await sandbox.deployer(["doctor", "healthy"], in: project)
            #expect(healthy.status == 0, "\(healthy.output)")
            let report = DoctorOutput(healthy.output)
            let expected = [
                ("controller", "recipe", "deploy.yml loads: app demo; healthy: 1 host"),
                ("host1", "ssh_config", "host1 resolves to deploy@127.0.0.1:"), ("host1", "ssh_config", "; ssh -G agrees"),
                ("host1", "connect", "deploy@127.0.0.1:"), ("host1", "host_key", "ssh-ed25519 SHA256:"),
                ("host1", "identity", "accepted: \(sandbox.directory)/client/id_ed25519 (ssh-ed25519)"),
                ("host1", "deploy_to", "/srv/app does not exist yet; the first push creates it (/srv is writable by deploy)"),
                ("host1", "disk", " free of "), ("host1", "tools", "found: ln, mkdir, mv, python3, rm, sh, sha256sum, tar, touch"),
                ("host1", "clock", " the controller"),
            ]
            for (host, check, text) in expected {
                let line = report.line(host, check)
                #expect(line?.result == "ok" && line?.detail.contains(text) == true, "\(host) \(check): \(text)\n\(healthy.output)")
            }
            #expect(report.summary == "doctor: every check passed (controller and 1 host)", "\(healthy.output)")

            try await Self.forgetHostKey("host2", sandbox: sandbox)
            try await Self.offerAnUnauthorizedKey("host3", sandbox: sandbox)
            try await sandbox.exec("host4", "mkdir -p /srv/app && chown deploy /srv/app && chmod 777 /srv/app")
            try await sandbox.exec("host5", """
                mkdir -p /srv/app && mount -t tmpfs -o size=256k tmpfs /srv/app && chown deploy /srv/app && chmod 755 /srv/app \
                && (dd if=/dev/zero of=/srv/app/filler bs=4k 2>/dev/null || true)
                """)

            let broken = try await sandbox.deployer(["doctor", "broken"], in: project)
            #expect(broken.status == 4, "unknown host key and refused key: hosts that cannot be logged into\n\(broken.output)")
            let lines = DoctorOutput(broken.output)
            func line(_ host: String, _ check: String) -> String? {
                lines.line(host, check).map { "\($0.result) \($0.detail)" }
            }
            let hostKey = try #require(line("host2", "host_key"), "\(broken.output)")
            #expect(hostKey.hasPrefix("problem") && hostKey.contains("is not known") && hostKey.contains("fix: "), "\(hostKey)")
            let identity = try #require(line("host3", "identity"), "\(broken.output)")
            #expect(identity.hasPrefix("problem") && identity.contains("no key was accepted for deploy@")
                    && identity.contains("refused by the server") && identity.contains("fix: authorize one of these keys"), "\(identity)")
            let deployTo = try #require(line("host4", "deploy_to"), "\(broken.output)")
            #expect(deployTo.hasPrefix("problem") && deployTo.contains("world-writable (mode 777")
                    && deployTo.contains("fix: chmod go-w /srv/app"), "\(deployTo)")
            let disk = try #require(line("host5", "disk"), "\(broken.output)")
            #expect(disk.hasPrefix("problem") && disk.contains("free of 256.0 KiB on /srv/app")
                    && disk.contains("fix: free space on /srv/app"), "\(disk)")
            let tools = try #require(line("host5", "tools"), "\(broken.output)")
            #expect(tools.hasPrefix("problem") && tools.contains(": python9;"), "\(tools)")
            for host in ["host1", "host4", "host5"] {
                #expect(line(host, "identity")?.hasPrefix("ok") == true, "\(host)\n\(broken.output)")
            }
            #expect(line("host2", "identity") == nil, "no check past the host key\n\(broken.output)")
            #expect(lines.summary == "doctor: 5 problems, 0 warnings (controller and 5 hosts)", "\(broken.output)")

            let json = try await sandbox.deployer(["doctor", "broken", "--format", "json"], in: project)
            #expect(json.status == 4)
            let objects = try json.output.split(separator: "\n").map { line in
                try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
            }
            let problems = objects.filter { $0["type"] as? String == "doctor_check" && $0["result"] as? String == "problem" }
            #expect(problems.map { "\($0["host"]!) \($0["check"]!)" }
                    == ["host2 host_key", "host3 identity", "host4 deploy_to", "host5 disk", "host5 tools"], "\(json.output)")
            #expect(problems.allSatisfy { $0["fix"] is String && $0["schema"] as? Int == 1 })
            let summary = try #require(objects.last)
            #expect(summary["type"] as? String == "doctor_summary" && summary["exit_code"] as? Int == 4
                    && summary["problems"] as? Int == 5, "\(summary)")

            // Problems on hosts that can be logged into: exit 1.
            let reachable = try await sandbox.deployer(["doctor", "reachable"], in: project)
            #expect(reachable.status == 1, "\(reachable.output)")
            #expect(reachable.output.hasSuffix("doctor: 3 problems, 0 warnings (controller and 2 hosts)\n"), "\(reachable.output)")
        }
    }

    /// Removes `host`'s line from the sandbox's known_hosts.
    static func forgetHostKey(_ host: String, sandbox: Sandbox) async throws {
        let port = try port(of: host, sandbox: sandbox)
        let path = sandbox.directory + "/known_hosts"
        let kept = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            .filter { !$0.hasPrefix("[127.0.0.1]:\(port) ") }
        try (kept.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Points `host`'s IdentityFile in the sandbox's ssh_config at a new key no host authorizes.
    static func offerAnUnauthorizedKey(_ host: String, sandbox: Sandbox) async throws {
        let key = sandbox.directory + "/client/stranger"
        let made = try await ProcessRunner.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "stranger", "-f", key])
        #expect(made.status == 0)
        let config = try String(contentsOfFile: sandbox.sshConfig, encoding: .utf8)
        var inBlock = false
        let edited = config.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            if line.hasPrefix("Host ") { inBlock = line == "Host \(host)" }
            if inBlock, line.trimmingCharacters(in: .whitespaces).hasPrefix("IdentityFile ") { return "  IdentityFile \(key)" }
            return String(line)
        }
        try edited.joined(separator: "\n").write(toFile: sandbox.sshConfig, atomically: true, encoding: .utf8)
    }

    /// `host`'s port, from the sandbox's `hosts.txt` (`alias port` lines).
    static func port(of host: String, sandbox: Sandbox) throws -> String {
        let hosts = try String(contentsOfFile: sandbox.directory + "/hosts.txt", encoding: .utf8)
        for line in hosts.split(separator: "\n") {
            let words = line.split(separator: " ")
            if words.count >= 2, words[0] == host { return String(words[1]) }
        }
        throw SandboxError("no port for \(host) in \(sandbox.directory)/hosts.txt")
    }
}
