import DeployerLoading
import DeployerModel
import Testing

@Suite struct RecipeLoaderDetailTests {
    static let valid = """
        app: shop
        deploy_to: /srv/shop
        environments:
          staging: { hosts: { web: [s1] } }
          prod: { hosts: { web: [p1, p2] } }
        tasks:
          restart: { phase: after_switch, run: "systemctl restart {{ app }}" }
        """

    func headlines(_ text: String) -> [String] {
        InMemoryFiles(files: ["deploy.yml": text]).headlines()
    }

    @Test func duplicateKeyPointsAtTheRepetitionAndLoadingGoesOn() {
        let text = """
            app: shop
            deploy_to: /srv/shop
            environments:
              prod: { hosts: { web: [p1] } }
            tasks:
              restart:
                phase: after_switch
                run: a
                run: b
                rols: [web]
            """
        #expect(headlines(text) == [
            "deploy.yml:9:5: error: duplicate key 'run'",
            "deploy.yml:10:5: error: unknown key 'rols' in task 'restart'; did you mean 'roles'?",
        ])
    }

    /// Plain `yes` and quoted `"yes"` are one key to the recipe: before, YAML's typing made them
    /// two to the duplicate check (a boolean and a string) and one of the two values was dropped.
    @Test func aKeyWrittenPlainAndQuotedIsADuplicate() {
        let text = """
            app: shop
            deploy_to: /srv/shop
            vars:
              yes: one
              "yes": two
            environments:
              prod: { hosts: { web: [p1] } }
            """
        #expect(headlines(text) == ["deploy.yml:5:3: error: duplicate key 'yes'"])
    }

    /// A shared path with a newline was one path to the recipe and two to the hosts (the prepare
    /// script reads shared paths one a line): `.env\nother` asked every host for `.env` and `other`.
    @Test func aControlCharacterInASharedPathIsRefusedAtTheValue() {
        let text = Self.valid.replacingOccurrences(of: "environments:", with: "shared: { files: [\".env\\nother\"], dirs: [\"logs\\tx\"] }\nenvironments:")
        #expect(headlines(text) == [
            "deploy.yml:3:19: error: shared paths must not contain a newline or other control character, found '.env\\nother'",
            "deploy.yml:3:42: error: shared paths must not contain a newline or other control character, found 'logs\\tx'",
        ])
    }

    /// A variable every environment defines, and the recipe does not, is defined: it was refused
    /// ("variable 'workers' is not defined in environment " and no environment named), so an
    /// environment's own vars could not be used without a recipe-wide value beside them.
    @Test func aVariableEveryEnvironmentDefinesIsDefined() throws {
        let text = Self.valid
            .replacingOccurrences(of: "staging: { hosts: { web: [s1] } }", with: "staging: { hosts: { web: [s1] }, vars: { workers: \"2\" } }")
            .replacingOccurrences(of: "prod: { hosts: { web: [p1, p2] } }", with: "prod: { hosts: { web: [p1, p2] }, vars: { workers: \"8\" } }")
            .replacingOccurrences(of: "systemctl restart {{ app }}", with: "systemctl restart {{ app }}@{{ workers }}")
        #expect(headlines(text) == [])
        let loader = InMemoryFiles(files: ["deploy.yml": text]).loader
        let prod = try loader.resolve(try loader.load(path: "deploy.yml").get(), environment: "prod")
        #expect(prod.vars["workers"] == "8")
    }

    /// Shared paths are not templates: `{{ env }}.env` made a file of that very name on every host
    /// (and a push then failed for want of it); it is refused at the value, as `deploy_to` is.
    @Test func aPlaceholderInASharedPathIsRefusedAtTheValue() {
        let text = Self.valid.replacingOccurrences(of: "environments:", with: "shared: { files: [\"config/{{ env }}.env\"] }\nenvironments:")
        #expect(headlines(text) == [
            "deploy.yml:3:19: error: shared paths are not templates, found 'config/{{ env }}.env': hosts would get a path named "
                + "'{{ env }}'; write the path itself",
        ])
    }

    /// The reference promises `command` → `run`; the synonym written exactly was never suggested (issue 22).
    @Test func aKeyFromAnotherToolIsSuggestedOurs() {
        let text = Self.valid.replacingOccurrences(of: "run: \"systemctl", with: "command: \"systemctl")
        #expect(headlines(text) == [
            "deploy.yml:7:35: error: unknown key 'command' in task 'restart'; did you mean 'run'?",
        ])
    }

    @Test func duplicateKeyInANestedFlowMappingIsReportedOnce() {
        let text = """
            app: x
            deploy_to: /x
            environments: { p: { hosts: { w: [h] }, vars: { a: { x: "1" }, x: "2", a: "3" } } }
            """
        #expect(headlines(text) == [
            "deploy.yml:3:52: error: expected a text value, found a mapping",
            "deploy.yml:3:72: error: duplicate key 'a'",
        ])
    }

    @Test func undefinedVariableInsideAQuotedStringPointsAtItsBraces() {
        let text = Self.valid.replacingOccurrences(of: "{{ app }}", with: "{{ app }} {{ nope }}")
        #expect(headlines(text) == ["deploy.yml:7:69: error: undefined variable 'nope'"])
    }

    @Test func printsSourceLineAndCaret() throws {
        let text = Self.valid.replacingOccurrences(of: "phase: after_switch", with: "phase: after_switch, rols: [web]")
        let error = try #require(InMemoryFiles(files: ["deploy.yml": text]).loader.load(path: "deploy.yml").failure)
        let diagnostic = try #require(error.diagnostics.first)
        #expect(diagnostic.rendered(source: error.sources["deploy.yml"]) == """
            deploy.yml:7:35: error: unknown key 'rols' in task 'restart'; did you mean 'roles'?
              restart: { phase: after_switch, rols: [web], run: "systemctl restart {{ app }}" }
                                              ^~~~
            fix-it: roles
            """)
    }

    @Test func fingerprintIgnoresCommentsAndNamesButNotCommands() throws {
        let loader = InMemoryFiles(files: [
            "a.yml": Self.valid,
            "b.yml": "# a comment\n" + Self.valid.replacingOccurrences(of: "prod:", with: "production:"),
            "c.yml": Self.valid.replacingOccurrences(of: "restart {{ app }}", with: "reload {{ app }}"),
        ]).loader
        func fingerprint(_ file: String, _ environment: String) throws -> String {
            try loader.resolve(try loader.load(path: file).get(), environment: environment).fingerprint
        }
        #expect(try fingerprint("a.yml", "prod") == fingerprint("b.yml", "production"))
        #expect(try fingerprint("a.yml", "prod") != fingerprint("c.yml", "prod"))
        #expect(try fingerprint("a.yml", "prod") != fingerprint("a.yml", "staging"))
    }

    @Test func hostsAreInInventoryOrderOnceWithAllRoles() throws {
        let text = """
            app: shop
            deploy_to: /srv/shop
            environments:
              prod: { hosts: { web: [b, a], db: [c, a], cache: [b] } }
            """
        let loader = InMemoryFiles(files: ["deploy.yml": text]).loader
        let resolved = try loader.resolve(try loader.load(path: "deploy.yml").get(), environment: "prod")
        #expect(resolved.hosts.map(\.name) == ["b", "a", "c"])
        #expect(resolved.hosts.map(\.roles) == [["web", "cache"], ["web", "db"], ["db"]])
    }

    @Test func literalBracesTravelThroughAVar() throws {
        let text = Self.valid.replacingOccurrences(of: "systemctl restart {{ app }}", with: "docker inspect -f {{ format }} shop")
            + "\nvars: { format: \"{{.State.Status}}\" }\n"
        let loader = InMemoryFiles(files: ["deploy.yml": text]).loader
        let resolved = try loader.resolve(try loader.load(path: "deploy.yml").get(), environment: "prod")
        #expect(try resolved.tasks[0].run.render(resolved.vars) == "docker inspect -f '{{.State.Status}}' shop")
    }

    @Test func hostForms() throws {
        let text = """
            app: shop
            deploy_to: /srv/shop
            environments:
              prod: { hosts: { web: [web_1.example.com, "deploy@10.0.0.7:2222", "[2001:db8::5]:22", "ops@[::1]"] } }
            """
        let loader = InMemoryFiles(files: ["deploy.yml": text]).loader
        let hosts = try loader.resolve(try loader.load(path: "deploy.yml").get(), environment: "prod").hosts.map(\.address)
        #expect(hosts.map(\.host) == ["web_1.example.com", "10.0.0.7", "2001:db8::5", "::1"])
        #expect(hosts.map(\.user) == [nil, "deploy", nil, "ops"])
        #expect(hosts.map(\.port) == [nil, 2222, 22, nil])
    }

    @Test func shellAndSourceVariants() throws {
        let text = Self.valid + "\nshell: zsh -lc\nsource: { dir: public }\nkeep_releases: 2\n"
        let recipe = try InMemoryFiles(files: ["deploy.yml": text]).loader.load(path: "deploy.yml").get()
        #expect(recipe.shell == .custom("zsh -lc"))
        #expect(recipe.source == .dir(path: "public"))
        #expect(recipe.keepReleases == 2)
    }

    @Test func secretsAreTemplateNamesButNotVars() throws {
        let text = Self.valid.replacingOccurrences(of: "{{ app }}", with: "{{ TOKEN }}") + "\nsecrets: [TOKEN]\n"
        let loader = InMemoryFiles(files: ["deploy.yml": text]).loader
        let resolved = try loader.resolve(try loader.load(path: "deploy.yml").get(), environment: "prod")
        #expect(resolved.secrets == ["TOKEN"])
        #expect(resolved.vars["TOKEN"] == nil)
    }

    @Test func diffSeparatesDeclaredDifferencesFromDrift() throws {
        let text = Self.valid.replacingOccurrences(of: "prod: { hosts: { web: [p1, p2] } }",
                                                   with: "prod: { hosts: { web: [p1, p2] }, vars: { x: \"1\" }, rolling: { batch: 1 } }")
            + "\nvars: { x: \"0\" }\n"
        let loader = InMemoryFiles(files: ["deploy.yml": text]).loader
        let recipe = try loader.load(path: "deploy.yml").get()
        let diff = EnvironmentDiff(try loader.resolve(recipe, environment: "staging"), try loader.resolve(recipe, environment: "prod"),
                                   allowRoleDifferences: false)
        #expect(diff.differences.map { "\($0.aspect.rawValue) \($0.item): \($0.left) -> \($0.right) \($0.declared)" } == [
            "hosts web: 1 -> 2 true",
            "vars x: 0 -> 1 true",
            "rolling batch: all hosts -> 1 false",
        ])
        #expect(diff.hasDrift)
    }

    /// As many hosts under other names is a difference (issue 22: diff said the environments "resolve alike").
    @Test func diffSaysWhenOnlyTheHostNamesDiffer() throws {
        let text = Self.valid.replacingOccurrences(of: "staging: { hosts: { web: [s1] } }",
                                                   with: "staging: { hosts: { web: [s1, s2] } }")
        let loader = InMemoryFiles(files: ["deploy.yml": text]).loader
        let recipe = try loader.load(path: "deploy.yml").get()
        let diff = EnvironmentDiff(try loader.resolve(recipe, environment: "staging"), try loader.resolve(recipe, environment: "prod"),
                                   allowRoleDifferences: false)
        #expect(diff.differences.map { "\($0.aspect.rawValue) \($0.item): \($0.left) -> \($0.right) \($0.declared)" }
                == ["hosts web: s1,s2 -> p1,p2 true"])
        #expect(!diff.renderText().contains("resolve alike"))
        #expect(!diff.hasDrift)
    }
}

extension Result {
    var failure: Failure? {
        if case let .failure(error) = self { return error }
        return nil
    }
}
