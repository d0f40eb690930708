import Foundation
import Testing

/// `deployer run ENV [--role R] -- CMD`: the hosts come from the recipe.
@Suite(.tags(.sandbox)) struct RunEnvironmentTests {
    private let recipe = """
        app: shop
        source: { dir: . }
        deploy_to: /srv/app
        environments:
          staging:
            hosts: { web: [host1], db: [host1] }
          prod:
            hosts: { web: [host2, host3], db: [host3] }
        """

    @Test func runsOnTheEnvironmentsHostsOrOneRole() async throws {
        try await Sandbox.with(hosts: 3) { sandbox in
            let project = NSTemporaryDirectory() + "deployer-run-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: project, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: project) }
            try recipe.write(toFile: project + "/deploy.yml", atomically: true, encoding: .utf8)
            // Each host writes a marker in its own /srv, so where the command ran is visible afterwards.
            let all = try await sandbox.deployer(["run", "prod", "--", "touch /srv/ran-all"], in: project)
            #expect(all.status == 0, "\(all.output)")
            #expect(all.output.contains("2 hosts: 2 ok, 0 failed, 0 unreachable"), "\(all.output)")
            let db = try await sandbox.deployer(["run", "prod", "--roles", "db", "--", "touch /srv/ran-db"], in: project)
            #expect(db.status == 0, "\(db.output)")
            #expect(try await sandbox.exists("host1", "/srv/ran-all") == false)
            #expect(try await sandbox.exists("host2", "/srv/ran-all"))
            #expect(try await sandbox.exists("host3", "/srv/ran-all"))
            #expect(try await sandbox.exists("host2", "/srv/ran-db") == false)
            #expect(try await sandbox.exists("host3", "/srv/ran-db"))

            let noRole = try await sandbox.deployer(["run", "prod", "--role", "cache", "--", "true"], in: project)
            #expect(noRole.status == 2)
            #expect(noRole.output.contains("environment 'prod' has no role 'cache'"), "\(noRole.output)")
            let both = try await sandbox.deployer(["run", "prod", "--hosts", "host1", "--", "true"], in: project)
            #expect(both.status == 2)
        }
    }

    /// The recipe's shell runs every command alike: the tasks of a push and `deployer run ENV`
    /// (issue 22: under `shell: login` tasks ran in sh, `[[: not found`, while run used bash).
    @Test(arguments: [nil, "login"])
    func theRecipesShellRunsTasksAndRunAlike(shell: String?) async throws {
        try await Sandbox.with(hosts: 1) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts, tasks: """
                  which_shell:
                    phase: after_switch
                    run: echo "${BASH_VERSION:-no bash}" >{{shared}}/task-shell
                """ + (shell == "login" ? """

                  bashism:
                    phase: after_switch
                    run: "[[ -n $BASH_VERSION ]] && touch {{shared}}/ran-in-bash"
                """ : ""))
            defer { app.remove() }
            if let shell {
                let recipe = try String(contentsOfFile: app.path + "/deploy.yml", encoding: .utf8)
                try app.write("deploy.yml", "shell: \(shell)\n" + recipe)
                try await app.commit("shell: \(shell)")
            }
            let pushed = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(pushed.status == 0, "\(pushed.output)")
            let task = try await sandbox.exec("host1", "cat /srv/app/shared/task-shell")
            let ran = try await sandbox.deployer(["run", "staging", "--", "echo \"shell=${BASH_VERSION:-no bash}\""], in: app.path)
            #expect(ran.status == 0, "\(ran.output)")
            #expect(ran.output.contains("shell=" + task.trimmingCharacters(in: .whitespacesAndNewlines)),
                    "task: \(task), run: \(ran.output)")
            if shell == "login" {
                #expect(task != "no bash\n")
                #expect(try await sandbox.exists("host1", "/srv/app/shared/ran-in-bash"))
            }
        }
    }

    /// README, "Which shell runs your commands": by default every command runs through `sh -c` without
    /// profile files, so PATH is sshd's default, and never reads from its standard input (/dev/null),
    /// so a task that reads it takes nothing from the script stream it runs in; a push and `run ENV` alike.
    @Test func commandsReadNothingFromStandardInputAndGetSSHDsPath() async throws {
        try await Sandbox.with(hosts: 1) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts, tasks: """
                  reads_stdin:
                    phase: after_switch
                    run: cat >{{shared}}/task-stdin; echo "$PATH" >{{shared}}/task-path
                """)
            defer { app.remove() }
            let pushed = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(pushed.status == 0, "\(pushed.output)")
            #expect(try await sandbox.exec("host1", "wc -c </srv/app/shared/task-stdin") == "0\n")
            let path = try await sandbox.exec("host1", "cat /srv/app/shared/task-path")
            #expect(path == "/usr/local/bin:/usr/bin:/bin:/usr/games\n", "Debian sshd's default PATH for a user: \(path)")
            let ran = try await sandbox.deployer(["run", "staging", "--", "cat | wc -c; echo \"path=$PATH\""], in: app.path)
            #expect(ran.status == 0, "\(ran.output)")
            #expect(ran.output.contains("0\n") && ran.output.contains("path=" + path.trimmingCharacters(in: .newlines)), "\(ran.output)")
        }
    }
}
