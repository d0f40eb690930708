import DeployerExecution
import Foundation
import Testing

/// `deployer check`, `graph` and `diff` as a user runs them: the built
/// executable, a recipe on disk, exit codes and what is printed. No host is
/// contacted by any of these commands.
@Suite struct RecipeCommandTests {
    /// A temporary project directory holding `deploy.yml`.
    private func project(_ recipe: String) throws -> String {
        let directory = NSTemporaryDirectory() + "deployer-recipe-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory + "/app/sub", withIntermediateDirectories: true)
        try recipe.write(toFile: directory + "/app/deploy.yml", atomically: true, encoding: .utf8)
        return directory + "/app"
    }

    private func deployer(_ arguments: [String], in directory: String) async throws -> DeployerRun {
        try await DeployerProcess(arguments, in: directory, sshConfig: "/dev/null").wait()
    }

    private let valid = """
        app: shop
        source: { dir: . }
        deploy_to: /srv/shop
        environments:
          staging:
            hosts: { web: [s1] }
          prod:
            hosts: { web: [p1, p2] }
        tasks:
          restart:
            phase: after_switch
            roles: [web]
            run: touch {{current}}/restarted
        """

    /// `-f FILE` names the recipe (README: `deployer check -f FILE`): it is read wherever the command runs.
    @Test func aRecipeNamedWithFIsReadFromAnywhere() async throws {
        let dir = try project(valid)
        defer { try? FileManager.default.removeItem(atPath: dir + "/..") }
        try FileManager.default.moveItem(atPath: dir + "/deploy.yml", toPath: dir + "/shop.yml")
        let elsewhere = NSTemporaryDirectory()
        for arguments in [["check", "-f", dir + "/shop.yml"], ["graph", "prod", "--file", dir + "/shop.yml"]] {
            let run = try await deployer(arguments, in: elsewhere)
            #expect(run.status == 0, "\(arguments): \(run.output)")
        }
        #expect(try await deployer(["graph", "prod", "-f", dir + "/shop.yml"], in: elsewhere).output.contains("restart"))
        let missing = try await deployer(["check", "-f", dir + "/nothing.yml"], in: elsewhere)
        #expect(missing.status == 2, "\(missing.output)")
    }

    @Test func checkAcceptsAValidRecipeFromASubdirectory() async throws {
        let dir = try project(valid)
        defer { try? FileManager.default.removeItem(atPath: dir + "/..") }
        let run = try await deployer(["check"], in: dir + "/sub")
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("ok"))
        #expect(run.output.contains("prod"))
    }

    @Test func checkPointsAtTheMisspelledKeyAndExits2() async throws {
        let dir = try project(valid.replacingOccurrences(of: "    roles: [web]", with: "    rols: [web]"))
        defer { try? FileManager.default.removeItem(atPath: dir + "/..") }
        let run = try await deployer(["check"], in: dir)
        #expect(run.status == 2)
        #expect(run.output.contains("deploy.yml:12:5: error: unknown key 'rols'"), "\(run.output)")
        #expect(run.output.contains("did you mean 'roles'"))
    }

    /// `status staging --hosts p1` with p1 a prod host: the error names prod, where it suggested
    /// staging's near miss `s1` before (a wrong environment, not a typo); the same for a role.
    @Test func aLimitNamingAnotherEnvironmentsHostSaysWhichEnvironmentHasIt() async throws {
        let dir = try project(valid.replacingOccurrences(of: "hosts: { web: [p1, p2] }",
                                                         with: "hosts: { web: [p1, p2], db: [p3] }\n    allow_role_differences: true"))
        defer { try? FileManager.default.removeItem(atPath: dir + "/..") }
        let host = try await deployer(["status", "staging", "--hosts", "p1"], in: dir)
        #expect(host.status == 2, "\(host.output)")
        #expect(host.output.contains("environment 'staging' has no host 'p1' (--hosts); its hosts: s1; "
            + "'p1' is a host of environment 'prod': name that environment to reach it"), "\(host.output)")
        #expect(!host.output.contains("did you mean"), "\(host.output)")
        let role = try await deployer(["status", "staging", "--roles", "db"], in: dir)
        #expect(role.status == 2, "\(role.output)")
        #expect(role.output.contains("'db' is a role of environment 'prod'"), "\(role.output)")
        let typo = try await deployer(["status", "prod", "--hosts", "p4"], in: dir)
        #expect(typo.status == 2 && typo.output.contains("no host 'p4' (--hosts); did you mean 'p1'?"), "\(typo.output)")
    }

    /// An ssh_config named by `-F` or `DEPLOYER_SSH_CONFIG` that does not exist stops the command
    /// (exit 2, naming the file and where it was named), as `ssh -F` does; before, it was read as
    /// empty and every host reached by its bare name ("cannot resolve s1"), the settings meant for it lost.
    @Test func aMissingSSHConfigNamedByTheUserIsRefused() async throws {
        let dir = try project(valid)
        defer { try? FileManager.default.removeItem(atPath: dir + "/..") }
        let missing = dir + "/no_such_ssh_config"
        let byOption = try await DeployerProcess(["status", "staging", "-F", missing], in: dir, sshConfig: "/dev/null").wait()
        #expect(byOption.status == 2, "\(byOption.output)")
        #expect(byOption.output.contains("\(missing): no such file, named by -F"), "\(byOption.output)")
        let byVariable = try await DeployerProcess(["status", "staging"], in: dir, sshConfig: missing).wait()
        #expect(byVariable.status == 2, "\(byVariable.output)")
        #expect(byVariable.output.contains("\(missing): no such file, named by DEPLOYER_SSH_CONFIG"), "\(byVariable.output)")
        let doctor = try await DeployerProcess(["doctor", "staging"], in: dir, sshConfig: missing).wait()
        #expect(doctor.status == 2 && doctor.output.contains("no such file, named by DEPLOYER_SSH_CONFIG"), "\(doctor.output)")
    }

    /// A `Match exec` block deployer cannot evaluate is left out with a warning naming its line on
    /// every command that reads ssh_config, as docs/ssh.md says; only `deployer doctor` showed it before,
    /// so a push used the port, user or proxy outside the block without a word.
    @Test func anSSHConfigBlockDeployerCannotEvaluateIsNamedOnEveryRun() async throws {
        let dir = try project(valid)
        defer { try? FileManager.default.removeItem(atPath: dir + "/..") }
        // s1 is 127.0.0.1 port 1: refused at once, nothing leaves the machine.
        try "Match host s1 exec \"test -e /etc/vpn-up\"\n  ProxyJump bastion\nHost s1\n  HostName 127.0.0.1\n  Port 1\n"
            .write(toFile: dir + "/ssh_config", atomically: true, encoding: .utf8)
        let run = try await DeployerProcess(["status", "staging"], in: dir, sshConfig: dir + "/ssh_config").wait()
        #expect(run.output.contains("warning: ssh_config: \(dir)/ssh_config:1: 'Match exec' is not supported by deployer; "
            + "the options of this Match block are ignored"), "\(run.output)")
    }

    /// `shared put` refuses a PATH with a newline before any host is touched: it put a file named
    /// "c\nd", shown as two lines, which a recipe could not name without being split in two.
    @Test func sharedPutRefusesAPathWithAControlCharacter() async throws {
        let dir = try project(valid)
        defer { try? FileManager.default.removeItem(atPath: dir + "/..") }
        try "A=1\n".write(toFile: dir + "/env.local", atomically: true, encoding: .utf8)
        let run = try await deployer(["shared", "staging", "put", "c\nd", "--from", dir + "/env.local"], in: dir)
        #expect(run.status == 2, "\(run.output)")
        #expect(run.output.contains("PATH must not contain a newline or other control character, found 'c\\nd'"), "\(run.output)")
    }

    /// `--hosts` (and `--roles`) given twice limit to every host named: `--hosts p1 --hosts p2` kept p2
    /// alone before, dropping p1 unseen. The plan is offline: no host is contacted.
    @Test func repeatedHostsOptionsAddUp() async throws {
        let dir = try project(valid)
        defer { try? FileManager.default.removeItem(atPath: dir + "/..") }
        let run = try await deployer(["plan", "prod", "--offline", "--hosts", "p1", "--hosts", "p2", "--roles", "web", "--roles", "web"],
                                     in: dir)
        #expect(run.status == 2 && run.output.contains("--roles: 'web' is listed twice"), "\(run.output)")
        let plan = try await deployer(["plan", "prod", "--offline", "--hosts", "p2", "--hosts", "p1", "--roles", "web"], in: dir)
        #expect(plan.status == 0, "\(plan.output)")
        #expect(plan.output.contains("p1 (web):") && plan.output.contains("p2 (web):"), "\(plan.output)")
        #expect(plan.output.contains("2 hosts unknown (offline)"), "\(plan.output)")
    }

    /// `run ENV -- 'echo {{ TOKEN }}'` with TOKEN a secret of the recipe says that run passes no
    /// secret, where it said TOKEN was "neither a var of environment 'staging' nor one of app, …".
    @Test func runNamesASecretItDoesNotPass() async throws {
        let dir = try project(valid.replacingOccurrences(of: "environments:", with: "secrets: [TOKEN]\nenvironments:"))
        defer { try? FileManager.default.removeItem(atPath: dir + "/..") }
        let run = try await DeployerProcess(["run", "staging", "--", "echo {{ TOKEN }}"], in: dir, sshConfig: "/dev/null",
                                            overrides: ["TOKEN": "t0ken-value"]).wait()
        #expect(run.status == 2, "\(run.output)")
        #expect(run.output.contains("the command uses '{{ TOKEN }}', a secret of the recipe: deployer run passes no secret "
            + "to a command (a task does: deployer task staging NAME)"), "\(run.output)")
    }

    @Test func graphPrintsTextAndDot() async throws {
        let dir = try project(valid)
        defer { try? FileManager.default.removeItem(atPath: dir + "/..") }
        let text = try await deployer(["graph", "prod"], in: dir)
        #expect(text.status == 0, "\(text.output)")
        #expect(text.output.contains("restart"))
        let dot = try await deployer(["graph", "prod", "--format", "dot"], in: dir)
        #expect(dot.status == 0)
        #expect(dot.output.contains("digraph"))
    }

    @Test func diffExits0WhenOnlyHostsDifferAnd1OnDrift() async throws {
        let same = try project(valid)
        defer { try? FileManager.default.removeItem(atPath: same + "/..") }
        let clean = try await deployer(["diff", "staging", "prod"], in: same)
        #expect(clean.status == 0, "\(clean.output)")

        let drifted = try project(valid.replacingOccurrences(
            of: "    hosts: { web: [p1, p2] }",
            with: "    hosts: { web: [p1, p2] }\n    rolling: { batch: 1 }"))
        defer { try? FileManager.default.removeItem(atPath: drifted + "/..") }
        let drift = try await deployer(["diff", "staging", "prod"], in: drifted)
        #expect(drift.status == 1, "\(drift.output)")
        #expect(drift.output.contains("rolling"))
    }

    /// `--version` names the version and the commit the binary was built from (embedded at build
    /// time by BuildCommitPlugin: this repository's HEAD, `-dirty` with uncommitted changes).
    @Test func versionIsPrintedWithTheCommitItWasBuiltFrom() async throws {
        let run = try await deployer(["--version"], in: NSTemporaryDirectory())
        #expect(run.status == 0)
        let head = try await ProcessRunner.run("/usr/bin/env", ["git", "-C", Sandbox.repository, "rev-parse", "--short=12", "HEAD"])
        let commit = String(decoding: head.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(commit.count == 12)
        #expect(run.output.wholeMatch(of: /\d+\.\d+\.\d+ \(commit \w{12}(-dirty)?\)\n/) != nil, "\(run.output)")
        #expect(run.output.contains("(commit \(commit)"), "HEAD is \(commit): \(run.output)")
    }

    @Test func usageErrorsExit2() async throws {
        let dir = try project(valid)
        defer { try? FileManager.default.removeItem(atPath: dir + "/..") }
        let run = try await deployer(["check", "--no-such-option"], in: dir)
        #expect(run.status == 2)
        let unknown = try await deployer(["graph", "prdo"], in: dir)
        #expect(unknown.status == 2)
        #expect(unknown.output.contains("did you mean 'prod'"), "\(unknown.output)")
    }
}
