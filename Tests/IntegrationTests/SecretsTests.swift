import DeployerExecution
import Foundation
import Testing

/// Secrets from the recipe's `secrets_file` reach the hosts' commands and
/// never any output: not the terminal or CI log, not the audit log, not the
/// hosts' history, not even when a failing command prints them.
@Suite(.tags(.sandbox)) struct SecretsTests {
    static let secret = "s3cr3t-Value with space"

    @Test func secretsFromAFileAreUsedAndNeverShown() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            let secrets = try await app.useSecretFromFile(Self.secret, hosts: sandbox.hosts,
                                                          task: "printf %s {{API_TOKEN}} | sha256sum | cut -c1-16 > token.sha")
            let log = app.path + ".audit.jsonl"
            defer { try? FileManager.default.removeItem(atPath: log) }

            let pushed = try await sandbox.deployer(["push", "staging", "--log-file", log], in: app.path)
            #expect(pushed.status == 0, "\(pushed.output)")
            #expect(!pushed.output.contains("can be read by other users"))
            let expected = try await Self.sha256Prefix(Self.secret)
            for host in sandbox.hosts {
                #expect(try await sandbox.exec(host, "cat /srv/app/current/token.sha") == expected + "\n")
            }

            // A failing command that prints the secret on stdout and stderr.
            try app.write("deploy.yml", try String(contentsOfFile: app.path + "/deploy.yml", encoding: .utf8) + """

                  leak:
                    phase: prepare
                    run: echo token={{API_TOKEN}}; echo token={{API_TOKEN}} >&2; exit 3
                """)
            try await app.commit("leak")
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: secrets)
            for format in ["plain", "json"] {
                let failed = try await sandbox.deployer(["push", "staging", "-v", "--format", format, "--log-file", log], in: app.path)
                #expect(failed.status == 1, "\(failed.output)")
                #expect(failed.output.contains("token=****"), "\(failed.output)")
                #expect(failed.output.contains("chmod 600"))
                #expect(!failed.output.contains("s3cr3t"), "\(failed.output)")
            }
            #expect(!(try String(contentsOfFile: log, encoding: .utf8)).contains("s3cr3t"))
            for host in sandbox.hosts {
                let history = try await sandbox.exec(host, "cat /srv/app/.deployer/history.jsonl")
                #expect(history.contains("leak") && !history.contains("s3cr3t"), "\(history)")
            }

            // Neither the environment nor the file sets it: exit 2 before any host is touched.
            try "OTHER=1\n".write(toFile: secrets, atomically: true, encoding: .utf8)
            let missing = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(missing.status == 2)
            #expect(missing.output.contains("secret API_TOKEN is not set in the controller's environment nor in private/secrets"),
                    "\(missing.output)")
        }
    }
    /// The first 16 hex digits of `text`'s SHA-256, as the hosts' `sha256sum | cut -c1-16` prints them.
    static func sha256Prefix(_ text: String) async throws -> String {
        let output = try await ProcessRunner.run("/bin/sh", ["-c", "printf %s \"$1\" | sha256sum | cut -c1-16", "sh", text])
        return String(decoding: output.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
