import DeployerExecution
import Foundation
import Testing

/// Shell completion (README, "Shell completion"): the scripts the built
/// executable generates, and environment names completed from the recipe.
@Suite struct CompletionTests {
    private let subcommands = ["init", "check", "graph", "diff", "plan", "push", "promote", "rollback", "status",
                               "releases", "unlock", "task", "run"]

    @Test(arguments: ["bash", "zsh", "fish"])
    func theScriptNamesEverySubcommand(shell: String) async throws {
        let run = try await DeployerProcess(["--generate-completion-script", shell], in: NSTemporaryDirectory(),
                                            sshConfig: "/dev/null").wait()
        #expect(run.status == 0, "\(run.output)")
        for subcommand in subcommands { #expect(run.output.contains(subcommand), "\(shell): \(subcommand)") }
        #expect(run.output.contains("---completion push -- positional@0"), "\(shell): environments come from deploy.yml")
        #expect(run.output.contains("---completion task -- positional@1"), "\(shell): task names come from deploy.yml")
    }

    /// Bash, with the generated script sourced, completes `deployer push <TAB>`
    /// and `deployer promote staging p<TAB>` from the deploy.yml in the
    /// working directory, and `-f FILE` picks another recipe.
    @Test func bashCompletesEnvironmentsFromTheRecipe() async throws {
        let directory = NSTemporaryDirectory() + "deployer-completion-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory + "/other", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let recipe = { (environments: [String]) in
            "app: shop\ndeploy_to: /srv/shop\nenvironments:\n"
                + environments.map { "  \($0): { hosts: { web: [\($0)1] } }\n" }.joined()
                + "tasks:\n  restart: { phase: after_switch, run: x }\n  assets: { phase: prepare, run: y }\n"
        }
        try recipe(["staging", "prod", "preview"]).write(toFile: directory + "/deploy.yml", atomically: true, encoding: .utf8)
        try recipe(["qa"]).write(toFile: directory + "/other/qa.yml", atomically: true, encoding: .utf8)
        let script = directory + "/deployer.bash"
        let generated = try await DeployerProcess(["--generate-completion-script", "bash"], in: directory, sshConfig: "/dev/null").wait()
        try generated.output.write(toFile: script, atomically: true, encoding: .utf8)

        /// The candidates bash offers for the last of `words` (the word being typed).
        func complete(_ words: [String]) async throws -> [String] {
            let driver = """
                source "$1"; shift
                COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
                _deployer "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
                printf '%s\\n' "${COMPREPLY[@]}"
                """
            let output = try await ProcessRunner.run("/bin/bash", ["-c", driver, "bash", script, DeployerProcess.executable] + words,
                                                     currentDirectory: directory)
            #expect(output.status == 0, "\(String(decoding: output.stderr, as: UTF8.self))")
            return String(decoding: output.stdout, as: UTF8.self).split(separator: "\n").map(String.init).sorted()
        }
        #expect(try await complete(["push", ""]) == ["preview", "prod", "staging"])
        #expect(try await complete(["promote", "staging", "pr"]) == ["preview", "prod"])
        #expect(try await complete(["rollback", "-f", "other/qa.yml", ""]) == ["qa"])
        #expect(try await complete(["task", "prod", ""]) == ["restart"], "the tasks deployer task runs, not a prepare task")
    }
}
