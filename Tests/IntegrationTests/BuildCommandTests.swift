import DeployerExecution
import Foundation
import Testing

/// `deployer build` and `deployer push --artifact` against real sshd hosts: CI builds once and pushes
/// the file twice; a damaged or mismatched file is refused before any host is touched.
@Suite(.serialized, .tags(.sandbox)) struct BuildCommandTests {
    /// An app whose build step writes `dist/app.txt` from `app.txt`, `staging` on host1 and `prod` on host2.
    static func app(hosts: [String] = ["host1"], prod: [String] = ["host2"]) async throws -> AppRepository {
        let app = try await AppRepository(hosts: hosts, tasks: """
              compile:
                local: true
                run: mkdir -p dist && tr a-z A-Z < app.txt > dist/app.txt && echo compiled
            """)
        let recipe = try String(contentsOfFile: app.path + "/deploy.yml", encoding: .utf8)
        try app.write("deploy.yml", recipe.replacingOccurrences(of: "environments:\n", with: """
            environments:
              prod:
                hosts: { web: [\(prod.joined(separator: ", "))] }

            """))
        try await app.commit("a build step, and prod")
        return app
    }

    /// The JSON events of a `--format json` run, by type.
    static func events(_ output: String) -> [(type: String, fields: [String: Any])] {
        output.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let type = object["type"] as? String else { return nil }
            return (type, object)
        }
    }

    static func marker(_ sandbox: Sandbox, _ host: String) async throws -> [String: Any] {
        let json = try await sandbox.exec(host, "cat /srv/app/current/.deployer-release.json")
        return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    @Test func ciBuildsOnceAndPushesTheFileToStagingThenProd() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await Self.app()
            defer { app.remove() }
            let file = app.path + "/app.artifact"
            let build = try await sandbox.deployer(["build", "staging", "--out", file, "--format", "json"], in: app.path)
            #expect(build.status == 0, "\(build.output)")
            let built = Self.events(build.output)
            #expect(built.contains { $0.type == "build_step_started" && $0.fields["step"] as? String == "compile" })
            let digest = try #require(built.first { $0.type == "artifact_ready" }?.fields["digest"] as? String)
            let summary = try #require(built.first { $0.type == "summary" }?.fields)
            #expect(summary["action"] as? String == "build" && (summary["message"] as? String)?.contains(digest) == true)
            // The file describes itself: a plain tar whose first member is the manifest.
            let listing = try await ProcessRunner.run("/usr/bin/env", ["tar", "-tf", file])
            #expect(String(decoding: listing.stdout, as: UTF8.self) == "deployer-artifact.json\nartifact.tar.gz\n")

            // Later jobs push the file with a cache of their own: nothing is built again.
            let jobCache = app.path + "/.cache/push-job"
            for (environment, host) in [("staging", "host1"), ("prod", "host2")] {
                let push = try await sandbox.deployer(["push", environment, "--artifact", file, "--format", "json"],
                                                      in: app.path, cacheHome: jobCache)
                #expect(push.status == 0, "\(push.output)")
                let events = Self.events(push.output)
                #expect(!events.contains { $0.type.hasPrefix("build_") }, "\(push.output)")
                #expect(events.first { $0.type == "artifact_ready" }?.fields["digest"] as? String == digest)
                #expect(try await Self.marker(sandbox, host)["digest"] as? String == digest)
                #expect(try await sandbox.exec(host, "cat /srv/app/current/dist/app.txt") == "VERSION 1\n")
            }
            let history = try await sandbox.exec("host2", "tail -n 1 /srv/app/.deployer/history.jsonl")
            #expect(history.contains(digest), "\(history)")

            // Without --artifact, the build the cache holds is reused: the second push builds nothing.
            let again = try await sandbox.deployer(["push", "staging", "--force", "--format", "json"], in: app.path)
            #expect(again.status == 0, "\(again.output)")
            let events = Self.events(again.output)
            #expect(events.first { $0.type == "build_reused" }?.fields["digest"] as? String == digest, "\(again.output)")
            #expect(!events.contains { $0.type == "build_step_started" })
        }
    }

    @Test func aDamagedOrMismatchedArtifactFileIsRefusedBeforeAnyHostIsTouched() async throws {
        try await Sandbox.with(hosts: 1) { sandbox in
            let app = try await Self.app(hosts: ["host1"], prod: ["host1"])
            defer { app.remove() }
            let good = app.path + "/good.artifact"
            #expect(try await sandbox.deployer(["build", "staging", "--out", good], in: app.path).status == 0)
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: good)))
            let manifest = try #require(try JSONSerialization.jsonObject(with: Data(
                String(decoding: bytes[512..<1024], as: UTF8.self).prefix { $0 != "\0" }.utf8)) as? [String: Any])
            let size = try #require(manifest["bytes"] as? Int)
            // The artifact's bytes end before its padding and the two zero blocks that end a tar.
            let end = bytes.count - 1024 - (512 - size % 512) % 512
            var altered = bytes
            altered[end - size / 2] ^= 0x01
            try Data(altered).write(to: URL(fileURLWithPath: app.path + "/altered.artifact"))
            try Data(bytes[..<(end - 10)]).write(to: URL(fileURLWithPath: app.path + "/truncated.artifact"))
            try Data("not an artifact\n".utf8).write(to: URL(fileURLWithPath: app.path + "/other.artifact"))

            func refused(_ file: String, _ extra: [String] = [], saying phrase: String) async throws {
                let push = try await sandbox.deployer(["push", "staging", "--artifact", app.path + "/" + file, "--format", "json"]
                                                      + extra, in: app.path)
                #expect(push.status == 2, "\(file): \(push.output)")
                #expect(push.output.contains(app.path + "/" + file) && push.output.contains(phrase), "\(file): \(push.output)")
                #expect(!push.output.contains("\"host_connected\""), "\(file): \(push.output)")
                #expect(try await !sandbox.exists("host1", "/srv/app/.deployer"), "\(file): a host was touched")
            }
            try await refused("truncated.artifact", saying: "is truncated: it holds \(size - 10) of the artifact's \(size) bytes")
            try await refused("altered.artifact", saying: "was altered: its artifact has SHA-256")
            try await refused("other.artifact", saying: "is not an artifact file written by `deployer build --out`")
            let built = try #require(manifest["revision"] as? String)
            try await app.newRevision("2")
            try await refused("good.artifact", saying: "it was built from revision \(built.prefix(12)), this push deploys ")
            // The recipe's build step changes: the file was built by other steps.
            let recipe = try String(contentsOfFile: app.path + "/deploy.yml", encoding: .utf8)
            try app.write("deploy.yml", recipe.replacingOccurrences(of: "echo compiled", with: "echo compiled again"))
            try await refused("good.artifact", ["--revision", built, "--allow-dirty"], saying: "its build fingerprint is ")
            try app.write("deploy.yml", recipe.replacingOccurrences(of: "app: demo", with: "app: other"))
            try await refused("good.artifact", ["--revision", built, "--allow-dirty"],
                              saying: "it is an artifact of app 'demo', the recipe deploys 'other'")
            try app.write("deploy.yml", recipe)
            let push = try await sandbox.deployer(["push", "staging", "--artifact", good, "--revision", built], in: app.path)
            #expect(push.status == 0, "\(push.output)")
            #expect(try await sandbox.exec("host1", "cat /srv/app/current/dist/app.txt") == "VERSION 1\n")
        }
    }

    /// `plan` shows the build ("would build" with its steps, then "cached" with the digest a push ships),
    /// and a saved plan of a recipe with build steps is pushed as planned.
    @Test func planShowsTheBuildAndASavedPlanWithBuildStepsIsPushed() async throws {
        try await Sandbox.with(hosts: 1) { sandbox in
            let app = try await Self.app(hosts: ["host1"], prod: ["host1"])
            defer { app.remove() }
            let text = try await sandbox.deployer(["plan", "staging"], in: app.path)
            #expect(text.status == 0, "\(text.output)")
            #expect(text.output.contains("build: would build on the controller (1 step)")
                && text.output.contains("compile  mkdir -p dist && tr a-z A-Z < app.txt > dist/app.txt && echo compiled"),
                    "\(text.output)")
            let saved = app.path + "/plan.json"
            let json = try await sandbox.deployer(["plan", "staging", "--format", "json", "--out", saved], in: app.path)
            let planned = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
            let build = try #require(planned["build"] as? [String: Any], "\(json.output)")
            #expect(build["digest"] is NSNull && (build["steps"] as? [[String: Any]])?.first?["name"] as? String == "compile")
            let push = try await sandbox.deployer(["push", "staging", "--plan", saved, "--format", "json"], in: app.path)
            #expect(push.status == 0, "\(push.output)")
            let digest = try #require(Self.events(push.output).first { $0.type == "artifact_ready" }?.fields["digest"] as? String)
            #expect(try await Self.marker(sandbox, "host1")["digest"] as? String == digest)

            let again = try await sandbox.deployer(["plan", "staging", "--format", "json", "--out", saved], in: app.path)
            let cached = try #require(try JSONSerialization.jsonObject(with: Data(again.output.utf8)) as? [String: Any])
            #expect((cached["build"] as? [String: Any])?["digest"] as? String == digest, "\(again.output)")
            #expect(cached["digest"] as? String == digest && cached["decision"] as? String == "already_current", "\(again.output)")
            let shown = try await sandbox.deployer(["plan", "staging"], in: app.path)
            #expect(shown.output.contains("build: cached sha256:\(digest.prefix(12)) (1 step: compile)"), "\(shown.output)")
        }
    }
}
