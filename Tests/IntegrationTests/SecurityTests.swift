import Foundation
import Testing

/// What deployer promises about hostile input and hostile hosts, on real sshd
/// hosts (docs/security.md lists every check and its test).
@Suite(.tags(.sandbox)) struct SecurityTests {
    /// Shell syntax in vars, `deploy_to`, shared paths and host names reaches the hosts as text and
    /// runs nothing there or on the controller.
    @Test func shellSyntaxInRecipeValuesAndHostNamesRunsNothing() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            let value = "$(touch /srv/pwned-1)`touch /srv/pwned-2`; touch /srv/pwned-3; '\u{301}; touch /srv/pwned-4; echo '"
            try app.write("deploy.yml", """
                app: demo
                source: { git: . }
                deploy_to: "/srv/app/it's $(touch pwned-5)"
                shared: { dirs: ["logs`touch pwned-6`"] }
                vars: { hostile: "$(touch /srv/pwned-1)`touch /srv/pwned-2`; touch /srv/pwned-3; '\\u0301; touch /srv/pwned-4; echo '" }
                environments:
                  staging:
                    hosts: { web: [\(sandbox.hosts.joined(separator: ", "))] }
                tasks:
                  record:
                    phase: prepare
                    run: printf '%s' {{ hostile }} > value.txt
                """)
            try await app.commit("hostile values")
            let pushed = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(pushed.status == 0, "\(pushed.output)")
            for host in sandbox.hosts {
                let written = try await sandbox.exec(host, "cat /srv/app/it*/current/value.txt")
                #expect(written == value)
                let shared = try await sandbox.exec(host, "ls -d /srv/app/it*/current/logs*")
                #expect(shared == "/srv/app/it's $(touch pwned-5)/current/logs`touch pwned-6`\n")
                let found = try await sandbox.exec(host, "find /srv /tmp /home -name 'pwned-*'")
                #expect(found == "")
            }

            let marker = NSTemporaryDirectory() + "deployer-pwned-" + UUID().uuidString
            let hosts = "host1;touch \(marker),$(touch \(marker)),`touch \(marker)`"
            let run = try await sandbox.deployer(["run", "--hosts", hosts, "--", "true"], in: app.path)
            #expect(run.status != 0, "\(run.output)")
            #expect(!FileManager.default.fileExists(atPath: marker), "a host name ran a command on the controller")
            #expect(try await sandbox.exec("host1", "find /srv -name 'deployer-pwned-*'") == "")
        }
    }

    /// Release ids from the command line and from hosts are checked before they are used in a path; a release
    /// replaced by a symbolic link (to a directory outside deploy_to that looks like a release) is no release:
    /// never pruned (so never what it points at) and never switched to; directories that are not releases are
    /// left alone.
    @Test func releaseIdsAreValidatedAndPruneNeverFollowsALink() async throws {
        try await Sandbox.with(hosts: 1) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts, keepReleases: 1)
            defer { app.remove() }
            let escape = try await sandbox.deployer(["rollback", "staging", "--to", "../../../etc"], in: app.path)
            #expect(escape.status == 2, "\(escape.output)")

            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            let first = try #require(try await sandbox.current("host1"))
            try await Task.sleep(for: .milliseconds(1100))
            try await app.newRevision("2")
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            // The release before the previous one (the next to prune) becomes a link to a look-alike outside deploy_to.
            try await sandbox.exec("host1", """
                cp -a /srv/app/releases/\(first) /srv/victim && rm -rf /srv/app/releases/\(first) \
                && ln -s /srv/victim /srv/app/releases/\(first) && mkdir '/srv/app/releases/x; touch pwned'
                """)
            try await Task.sleep(for: .milliseconds(1100))
            try await app.newRevision("3")
            let third = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(third.status == 0, "\(third.output)")
            let releases = try await sandbox.exec("host1", "ls -A /srv/app/releases")
            #expect(releases.contains("\(first)\n") && releases.contains("x; touch pwned\n"), "\(releases)")
            #expect(try await sandbox.exec("host1", "cat /srv/victim/app.txt") == "version 1\n", "the link's target was deleted")
            let back = try await sandbox.deployer(["rollback", "staging", "--to", first], in: app.path)
            #expect(back.status == 1, "\(back.output)")
            #expect(try await sandbox.current("host1") != first)
            let found = try await sandbox.exec("host1", "find /srv /tmp /home -name pwned")
            #expect(found == "")
        }
    }

    /// One host's key changed: the run stops before any host is locked, uploaded to or given a directory.
    @Test func aChangedHostKeyStopsTheRunBeforeAnyHostIsTouched() async throws {
        try await Sandbox.with(hosts: 3) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            // host2's known_hosts line gets host1's key (hosts.txt: "ALIAS PORT" per line).
            let ports = try String(contentsOfFile: sandbox.directory + "/hosts.txt", encoding: .utf8).split(separator: "\n")
                .map { $0.split(separator: " ") }
            let name = { (host: String) in ports.first { $0[0] == host }.map { "[127.0.0.1]:\($0[1]) " } ?? "?" }
            let knownHostsFile = sandbox.directory + "/known_hosts"
            let lines = try String(contentsOfFile: knownHostsFile, encoding: .utf8).split(separator: "\n").map(String.init)
            let host1Key = try #require(lines.first { $0.hasPrefix(name("host1")) }).dropFirst(name("host1").count)
            let changed = lines.map { $0.hasPrefix(name("host2")) ? name("host2") + host1Key : $0 }
            try (changed.joined(separator: "\n") + "\n").write(toFile: knownHostsFile, atomically: true, encoding: .utf8)

            for command in [["push", "staging"], ["rollback", "staging"]] {
                let refused = try await sandbox.deployer(command, in: app.path)
                #expect(refused.status == 4, "\(refused.output)")
                #expect(refused.output.contains("HOST KEY CHANGED"), "\(refused.output)")
                #expect(refused.output.contains("nothing was changed on any host"), "\(refused.output)")
                for host in sandbox.hosts {
                    #expect(try await sandbox.exec(host, "ls -A /srv/app 2>/dev/null || true") == "", "\(host) was touched")
                }
            }
        }
    }

    /// An artifact changed on a host after its upload is never extracted: prepare checks its SHA-256
    /// first, fails that host (no host switches), and removes the copy so the next push uploads it again.
    /// Issue 21, item 5: a repository shipping a file named like deployer's
    /// release marker is refused before any host sees it; and releases killed
    /// mid-prepare with a foreign marker (a copy of another release's, as such
    /// a repository left it) or a malformed one are half-made: `releases`
    /// says so and `rollback` passes over them to the last complete release.
    @Test func aReleaseMarkerNotWrittenByDeployerNeverMakesAReleaseComplete() async throws {
        try await Sandbox.with(hosts: 1) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            let first = try #require(try await sandbox.current("host1"))
            try await Task.sleep(for: .milliseconds(1100))
            try await app.newRevision("2")
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            let second = try #require(try await sandbox.current("host1"))

            let shipped = try await sandbox.exec("host1", "cat /srv/app/releases/\(first)/.deployer-release.json")
            try app.write(".deployer-release.json", shipped)
            try await app.commit("ship a release marker")
            let refused = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(refused.status == 2, "\(refused.output)")
            #expect(refused.output.contains(".deployer-release.json: a name deployer keeps for its own files"), "\(refused.output)")
            #expect(try await sandbox.exec("host1", "ls /srv/app/releases") == "\(first)\n\(second)\n")

            let foreign = String(first.prefix(16)) + "-ffffffe", malformed = String(first.prefix(16)) + "-fffffff"
            try await sandbox.exec("host1", """
                cd /srv/app/releases && mkdir \(foreign) \(malformed) && echo 'version evil' >\(foreign)/app.txt \
                && cp \(first)/.deployer-release.json \(foreign)/ && echo '{"release": "\(malformed)"' >\(malformed)/.deployer-release.json \
                && chown -R deploy .
                """)
            let releases = try await sandbox.deployer(["releases", "staging"], in: app.path)
            for id in [foreign, malformed] {
                let line = releases.output.split(separator: "\n").first { $0.hasPrefix(id) } ?? ""
                #expect(line.contains("incomplete") && !line.contains("previous"), "\(releases.output)")
            }
            let toForeign = try await sandbox.deployer(["rollback", "staging", "--to", foreign], in: app.path)
            #expect(toForeign.status != 0 && toForeign.output.contains("incomplete"), "\(toForeign.output)")
            #expect(try await sandbox.current("host1") == second)
            // As a release switched to before deployer recorded what it followed: rollback picks by state alone.
            try await sandbox.exec("host1", "rm /srv/app/releases/\(second)/.deployer-previous")
            let rollback = try await sandbox.deployer(["rollback", "staging"], in: app.path)
            #expect(rollback.status == 0, "\(rollback.output)")
            #expect(try await sandbox.current("host1") == first)
            #expect(try await sandbox.exec("host1", "cat /srv/app/current/app.txt") == "version 1\n")
        }
    }

    @Test func aTamperedArtifactIsNeverExtracted() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            #expect(try await sandbox.deployer(["push", "staging"], in: app.path).status == 0)
            let release = try #require(try await sandbox.current("host1"))
            try await sandbox.exec("host2", """
                cd /tmp && mkdir -p evil.$$ && echo evil >evil.$$/app.txt && for a in /srv/app/.deployer/artifacts/*.tar.gz; do \
                tar -czf "$a" -C evil.$$ app.txt; done; rm -rf evil.$$
                """)
            try await Task.sleep(for: .milliseconds(1100))
            let tampered = try await sandbox.deployer(["push", "staging", "--force"], in: app.path)
            #expect(tampered.status == 1, "\(tampered.output)")
            #expect(tampered.output.contains("host2") && tampered.output.contains("artifact SHA-256 mismatch"), "\(tampered.output)")
            for host in sandbox.hosts {
                #expect(try await sandbox.current(host) == release)
                #expect(try await sandbox.exec(host, "grep -rl evil /srv/app/releases || true") == "")
            }
            #expect(try await sandbox.exec("host2", "ls /srv/app/.deployer/artifacts") == "")
            try await Task.sleep(for: .milliseconds(1100))
            let again = try await sandbox.deployer(["push", "staging", "--force"], in: app.path)
            #expect(again.status == 0, "\(again.output)")
            #expect(try await sandbox.exec("host2", "cat /srv/app/current/app.txt") == "version 1\n")
        }
    }

    /// A `dir:` source with a link out of the release is refused before any host is contacted.
    @Test func anArtifactWithALinkOutOfTheReleaseIsRefused() async throws {
        try await Sandbox.with(hosts: 1) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            try FileManager.default.createDirectory(atPath: app.path + "/site", withIntermediateDirectories: true)
            try "hello\n".write(toFile: app.path + "/site/index.html", atomically: true, encoding: .utf8)
            try FileManager.default.createSymbolicLink(atPath: app.path + "/site/passwd", withDestinationPath: "/etc/passwd")
            let recipe = try String(contentsOfFile: app.path + "/deploy.yml", encoding: .utf8)
            try app.write("deploy.yml", recipe.replacingOccurrences(of: "source: { git: . }", with: "source: { dir: site }")
                .replacingOccurrences(of: "key: [requirements.txt]", with: "key: [index.html]"))
            let refused = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(refused.status == 2, "\(refused.output)")
            #expect(refused.output.contains("passwd: a symbolic link to an absolute path (/etc/passwd)"), "\(refused.output)")
            #expect(try await sandbox.exec("host1", "ls -A /srv/app 2>/dev/null || true") == "")
        }
    }

    /// The lock and the history are writable by the deploy user only, under the sandbox's default umask.
    @Test func lockAndHistoryAreNotWorldWritable() async throws {
        try await Sandbox.with(hosts: 1) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts, tasks: """
                  modes:
                    phase: prepare
                    run: stat -c '%a %n' {{deploy_to}}/.deployer {{deploy_to}}/.deployer/lock {{deploy_to}}/.deployer/lock/* > {{shared}}/modes
                """)
            defer { app.remove() }
            let pushed = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(pushed.status == 0, "\(pushed.output)")
            let modes = try await sandbox.exec("host1", "cat /srv/app/shared/modes; stat -c '%a %n' /srv/app/.deployer/history.jsonl /srv/app/.deployer/artifacts/*")
            let lines = modes.split(separator: "\n")
            #expect(lines.count >= 7, "\(modes)")
            for line in lines {
                let mode = try #require(Int(line.prefix { $0 != " " }, radix: 8))
                #expect(mode & 0o022 == 0, "group- or world-writable: \(line)")
            }
        }
    }

    /// `accept-new` and `off` are named on standard error on every run, with the hosts they apply to.
    @Test func weakenedHostKeyPoliciesWarnOnEveryRun() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            for policy in ["off", "accept-new", "off"] {
                let run = try await sandbox.deployer(["run", "--hosts", "host1,host2", "--host-key-policy", policy, "--", "true"], in: app.path)
                #expect(run.status == 0, "\(run.output)")
                #expect(run.output.contains("warning: host key policy \(policy) (--host-key-policy \(policy)) for host1, host2"), "\(run.output)")
            }
            let status = try await sandbox.deployer(["status", "staging", "--host-key-policy", "accept-new"], in: app.path)
            #expect(status.output.contains("warning: host key policy accept-new"), "\(status.output)")
            let strict = try await sandbox.deployer(["run", "--hosts", "host1", "--", "true"], in: app.path)
            #expect(strict.status == 0 && !strict.output.contains("warning"), "\(strict.output)")
        }
    }

    /// A secret never reaches a saved plan, the plan's JSON, the release marker, the lock, the history or
    /// the audit log, and the hosts' process list never shows it while a task runs.
    @Test func secretsReachNoFileAndNoProcessList() async throws {
        try await Sandbox.with(hosts: 1) { sandbox in
            let secret = "pl4n-s3cret value"
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            try await app.useSecretFromFile(secret, hosts: ["host1"], task: "printf %s {{API_TOKEN}} | sha256sum | cut -c1-16 > "
                + "{{shared}}/token.sha && ps -eo args > {{shared}}/ps && cat {{deploy_to}}/.deployer/lock/* > {{shared}}/lock")
            let log = app.path + ".audit.jsonl"
            defer { try? FileManager.default.removeItem(atPath: log) }

            let plan = try await sandbox.deployer(["plan", "staging", "--format", "json", "--out", "plan.json"], in: app.path)
            #expect(plan.status == 0, "\(plan.output)")
            let pushed = try await sandbox.deployer(["push", "staging", "--plan", "plan.json", "-v", "--log-file", log], in: app.path)
            #expect(pushed.status == 0, "\(pushed.output)")
            let used = try await sandbox.exec("host1", "cat /srv/app/shared/token.sha")
            #expect(used == (try await SecretsTests.sha256Prefix(secret)) + "\n", "the task did not get the secret")
            var texts = [plan.output, pushed.output, try String(contentsOfFile: app.path + "/plan.json", encoding: .utf8),
                         try String(contentsOfFile: log, encoding: .utf8)]
            texts.append(try await sandbox.exec("host1", """
                cat /srv/app/shared/ps /srv/app/shared/lock /srv/app/.deployer/history.jsonl /srv/app/current/.deployer-release.json
                """))
            #expect(texts.last?.contains("\"revision\"") == true && texts.last?.contains("sh -s") == true, "\(texts.last ?? "")")
            for text in texts {
                #expect(!text.contains("s3cret"), "\(text)")
            }
        }
    }
}
