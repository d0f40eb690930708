import DeployerLoading
import DeployerModel
import Testing

/// `use:` merges recipes under the using file (docs/recipe-reference.md, "Combining recipes").
@Suite struct RecipeMergingTests {
    static let base = """
        vars: { a: from-base, b: from-base }
        secrets: [TOKEN]
        tasks:
          restart: { phase: after_switch, roles: [web], run: base-restart }
          check: { phase: prepare, run: base-check }
        """
    static let second = """
        vars: { b: from-second }
        tasks:
          check: { phase: prepare, run: second-check }
        """
    static let app = """
        use: [base, ./local/second.yml]
        app: shop
        deploy_to: /srv/shop
        vars: { a: from-app }
        environments: { prod: { hosts: { web: [web1], db: [db1] } } }
        tasks:
          restart: { roles: [web, db] }
          check: ~
          own: { phase: prepare, run: "echo {{ TOKEN }}" }
        """

    @Test func mapsMergeListsReplaceNullRemovesLaterWins() throws {
        let files = InMemoryFiles(files: ["recipes/base.yml": Self.base, "app/local/second.yml": Self.second, "app/deploy.yml": Self.app])
        let recipe = try files.loader.load(path: "app/deploy.yml").get()
        #expect(recipe.vars == ["a": "from-app", "b": "from-second"])
        #expect(recipe.secrets == ["TOKEN"])
        #expect(recipe.tasks.map(\.name) == ["restart", "own"])
        let restart = try #require(recipe.tasks.first)
        #expect(restart.roles == ["web", "db"])
        #expect(restart.run.source == "base-restart")
        #expect(restart.location?.file == "app/deploy.yml")
    }

    @Test func useCycleIsAnError() {
        let files = InMemoryFiles(files: [
            "deploy.yml": "use: [a.yml]\napp: x\ndeploy_to: /x\nenvironments: { p: { hosts: { w: [h] } } }\n",
            "a.yml": "use: [b.yml]\n",
            "b.yml": "use: [a.yml]\n",
        ])
        #expect(files.headlines() == ["b.yml:1:7: error: recipes use each other in a cycle: a.yml -> b.yml -> a.yml"])
    }

    @Test func missingRelativeRecipeIsReportedAtTheUseEntry() {
        let files = InMemoryFiles(files: ["deploy.yml": "use: [./nope.yml]\napp: x\ndeploy_to: /x\nenvironments: { p: { hosts: { w: [h] } } }\n"])
        #expect(files.headlines().count == 1)
        #expect(files.headlines().first?.hasPrefix("deploy.yml:1:7: error: cannot read recipe './nope.yml' (nope.yml): ") == true)
    }
}
