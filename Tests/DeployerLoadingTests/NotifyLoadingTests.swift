import DeployerLoading
import DeployerModel
import Testing

/// `notify:` at the top level and in an environment: commands or URLs, the events they are sent
/// at, their timeout; what a notification may not use is refused where it is written.
@Suite struct NotifyLoadingTests {
    static func recipe(top: String = "", prod: String = "") -> String {
        """
        app: shop
        deploy_to: /srv/shop
        secrets: [SLACK_HOOK]
        vars: { channel: deploys }
        \(top)
        environments:
          staging: { hosts: { web: [web1] } }
          prod:
            hosts: { web: [web2] }
        \(prod)
        """
    }

    static func load(_ text: String) -> Result<Recipe, DiagnosticsError> {
        RecipeLoader(recipesDirectory: nil).load(text: text, path: "deploy.yml")
    }

    @Test func anEnvironmentsOwnNotificationsReplaceTheRecipes() throws {
        let recipe = try Self.load(Self.recipe(
            top: "notify:\n  - { on: [failed, rolled_back], url: \"https://hooks.example/{{ SLACK_HOOK }}\", timeout: 5s }",
            prod: "    notify:\n      - run: ./notify {{ channel }} {{ env }}")).get()
        let loader = RecipeLoader(recipesDirectory: nil)
        let staging = try loader.resolve(recipe, environment: "staging").notify
        #expect(staging.count == 1)
        #expect(staging.first?.events == [.failed, .rolledBack])
        #expect(staging.first?.timeoutSeconds == 5)
        guard case .url = staging.first?.target else { Issue.record("\(staging)"); return }
        let prod = try loader.resolve(recipe, environment: "prod").notify
        #expect(prod.first?.events == Set(NotifyHook.Event.allCases), "no `on`: every event")
        #expect(prod.first?.timeoutSeconds == 10)
        guard case let .command(command) = prod.first?.target else { Issue.record("\(prod)"); return }
        #expect(try command.render(["channel": "deploys", "env": "prod"]) == "./notify deploys prod")
    }

    @Test func notificationsAreNotInTheFingerprint() throws {
        let loader = RecipeLoader(recipesDirectory: nil)
        let plain = try loader.resolve(Self.load(Self.recipe()).get(), environment: "prod")
        let notifying = try loader.resolve(Self.load(Self.recipe(top: "notify: [{ run: ./notify }]")).get(), environment: "prod")
        #expect(plain.fingerprint == notifying.fingerprint)
    }

    @Test func mistakesArePointedAtWhereTheyAreWritten() throws {
        let cases: [(String, String, Int)] = [
            ("notify: [{ on: [faild], run: ./n }]", "unknown notification event 'faild'; did you mean 'failed'?", 5),
            ("notify: [{ run: ./n, url: \"https://x\" }]", "a notification takes either 'run' or 'url', not both", 5),
            ("notify: [{ on: [failed] }]", "a notification needs 'run: COMMAND' or 'url: URL'", 5),
            ("notify: [{ url: \"ftp://x\" }]", "a notification's url must start with http:// or https://", 5),
            ("notify: [{ run: \"./n {{ host }}\" }]", "'host' is not defined in a notification", 5),
            ("notify: [{ run: ./n, timeout: soon }]", "invalid duration 'soon'", 5),
            ("notify: { run: ./n }", "expected a list of notifications", 5),
            ("notify: [{ run: ./n, when: failed }]", "unknown key 'when' in a notification", 5),
        ]
        for (yaml, message, line) in cases {
            guard case let .failure(error) = Self.load(Self.recipe(top: yaml)) else {
                Issue.record("accepted: \(yaml)"); continue
            }
            let found = error.diagnostics.first { $0.message.hasPrefix(message) }
            #expect(found?.location?.line == line, "\(yaml): \(error.diagnostics.map(\.headline))")
        }
    }
}
