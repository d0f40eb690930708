import DeployerLoading
import DeployerModel
import Foundation
import Testing

/// `secrets:` values: the controller's environment first, else `secrets_file`.
@Suite struct SecretValuesTests {
    static func file(_ text: String) throws -> SecretsFile {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("deployer-secrets-\(UUID().uuidString)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return SecretsFile(path: path, location: SourceLocation(file: "deploy.yml", line: 4, column: 15))
    }

    @Test func dotenvForms() throws {
        let text = """
            # database
            DATABASE_URL=postgres://u:p@db/app
              export SENTRY_DSN = https://k@sentry/1   # trailing comment
            SINGLE='a $b "c" \\n'
            DOUBLE="line1\\nline2 \\"q\\" \\\\ #not a comment"
            EMPTY=

            """
        let values = try SecretValues.parse(text, path: "s.env").get()
        #expect(values == [
            "DATABASE_URL": "postgres://u:p@db/app", "SENTRY_DSN": "https://k@sentry/1",
            "SINGLE": "a $b \"c\" \\n", "DOUBLE": "line1\nline2 \"q\" \\ #not a comment", "EMPTY": "",
        ])
    }

    @Test func malformedLinesNameLineAndColumnButNeverTheValue() throws {
        let text = "OK=1\n  no equals sign here\n1BAD=x\nOPEN=\"hunter2\n"
        guard case let .failure(error) = SecretValues.parse(text, path: "s.env") else { Issue.record("accepted"); return }
        let rendered = error.diagnostics.map { "\($0.location!.line):\($0.location!.column) \($0.message)" }
        #expect(rendered == [
            "2:3 expected NAME=value",
            "3:1 the text before '=' is not a secret name (letters, digits and _, not starting with a digit)",
            "4:1 the value of OPEN has no closing quote",
        ])
        #expect(!error.diagnostics.contains { $0.message.contains("hunter2") || ($0.note ?? "").contains("hunter2") })
    }

    /// A malformed line is never shown, not even as the excerpt under the diagnostic: a line that misses its `=`
    /// or its name may be a bare secret.
    @Test func aMalformedSecretsFileLineIsNeverPrinted() throws {
        let file = try Self.file("TOKEN=ok\nsk_live_hunter2\nsk live hunter3=x\n")
        defer { try? FileManager.default.removeItem(atPath: file.path) }
        #expect {
            try SecretValues.read(["TOKEN"], file: file, environment: [:])
        } throws: { error in
            let error = error as! DiagnosticsError
            let printed = error.diagnostics.map { $0.rendered(source: $0.location.flatMap { error.sources[$0.file] }) }
                .joined(separator: "\n")
            return printed == """
                \(file.path):2:1: error: expected NAME=value
                note: secrets files hold one NAME=value per line
                \(file.path):3:1: error: the text before '=' is not a secret name (letters, digits and _, not starting with a digit)
                """
        }
    }

    @Test func theEnvironmentWinsAndTheFileFillsIn() throws {
        let file = try Self.file("TOKEN=from-file\nDSN=dsn-from-file\n")
        defer { try? FileManager.default.removeItem(atPath: file.path) }
        let values = try SecretValues.read(["TOKEN", "DSN"], file: file, environment: ["TOKEN": "from-env"])
        #expect(values == ["TOKEN": "from-env", "DSN": "dsn-from-file"])
    }

    @Test func aMissingSecretNamesBothPlaces() throws {
        let file = try Self.file("OTHER=1\n")
        defer { try? FileManager.default.removeItem(atPath: file.path) }
        #expect {
            try SecretValues.read(["TOKEN"], file: file, environment: [:])
        } throws: { error in
            let diagnostic = (error as! DiagnosticsError).diagnostics[0]
            return diagnostic.message == "secret TOKEN is not set in the controller's environment nor in \(file.path)"
                && diagnostic.note == "export TOKEN=… before running deployer, or add TOKEN=… to \(file.path)"
        }
        #expect {
            try SecretValues.read(["TOKEN"], file: nil, environment: [:])
        } throws: { error in
            (error as! DiagnosticsError).diagnostics[0].note!.contains("secrets_file")
        }
    }

    @Test func anUnreadableFilePointsAtTheRecipeLine() throws {
        let file = SecretsFile(path: "/nonexistent/secrets", location: SourceLocation(file: "deploy.yml", line: 4, column: 15))
        #expect {
            try SecretValues.read(["TOKEN"], file: file, environment: [:])
        } throws: { error in
            let diagnostic = (error as! DiagnosticsError).diagnostics[0]
            return diagnostic.location == file.location && diagnostic.message.hasPrefix("cannot read the secrets file /nonexistent/secrets")
        }
    }

    @Test func theFileIsNotReadWhenTheEnvironmentHasEverything() throws {
        let file = SecretsFile(path: "/nonexistent/secrets", location: SourceLocation(file: "deploy.yml", line: 4, column: 15))
        #expect(try SecretValues.read(["TOKEN"], file: file, environment: ["TOKEN": "x"]) == ["TOKEN": "x"])
    }

    @Test func theRecipeNamesTheFileRelativeToItself() throws {
        let text = """
            app: shop
            deploy_to: /srv/shop
            secrets: [TOKEN]
            secrets_file: ../private/secrets
            environments: { prod: { hosts: { web: [web1] } } }
            """
        let recipe = try RecipeLoader(recipesDirectory: nil).load(text: text, path: "/work/shop/deploy.yml").get()
        #expect(recipe.secretsFile == SecretsFile(path: "/work/private/secrets",
                                                  location: SourceLocation(file: "/work/shop/deploy.yml", line: 4, column: 15)))
        let resolved = try RecipeLoader(recipesDirectory: nil).resolve(recipe, environment: "prod")
        #expect(resolved.secretsFile?.path == "/work/private/secrets")
    }

    /// A secrets file inside a `dir:` source was shipped with it: every host's release held every
    /// secret of the file, mode 644 (seen on a sandbox host). Refused at the value; outside the
    /// shipped folder it loads.
    @Test(arguments: [("source: { dir: . }", "secrets_file: .deploy/secrets", "."), ("source: { dir: public }", "secrets_file: ./public/../public/.env", "public")])
    func aSecretsFileInsideTheShippedDirectoryIsRefused(source: String, secretsFile: String, shipped: String) {
        let text = "app: shop\ndeploy_to: /srv/shop\n\(source)\nsecrets: [TOKEN]\n\(secretsFile)\nenvironments: { prod: { hosts: { web: [web1] } } }\n"
        let value = String(secretsFile.dropFirst("secrets_file: ".count))
        #expect(InMemoryFiles(files: ["deploy.yml": text]).headlines() == [
            "deploy.yml:5:15: error: secrets_file '\(value)' is inside the source directory '\(shipped)', which is shipped whole to "
                + "every host: each release would hold every secret in it, readable there",
        ])
        let outside = text.replacingOccurrences(of: secretsFile, with: "secrets_file: ../secrets")
        #expect(InMemoryFiles(files: ["deploy.yml": outside]).headlines() == [])
        if shipped == "public" {
            let besideIt = text.replacingOccurrences(of: secretsFile, with: "secrets_file: publicity/secrets")
            #expect(InMemoryFiles(files: ["deploy.yml": besideIt]).headlines() == [])
        }
    }
}
