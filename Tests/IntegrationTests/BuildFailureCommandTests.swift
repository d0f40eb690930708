import DeployerExecution
import Foundation
import Testing

/// A build that fails, runs past its timeout or is interrupted, seen from the command line: it stops
/// before any host is touched, shows what failed with its secret masked everywhere, leaves nothing in
/// the cache and no process behind.
@Suite(.serialized, .tags(.sandbox)) struct BuildFailureCommandTests {
    static let token = "s3cr3t-build-token"

    /// An app on host1 whose one build step runs `run` (YAML), with the secret API_TOKEN from a file.
    static func app(_ run: String, timeout: String? = nil) async throws -> AppRepository {
        let app = try await AppRepository(hosts: ["host1"])
        try app.write("deploy.yml", """
            app: demo
            source: { git: . }
            deploy_to: /srv/app
            secrets: [API_TOKEN]
            secrets_file: private/secrets
            environments:
              staging:
                hosts: { web: [host1] }
            tasks:
              compile:
                local: true
                run: \(run)
            \(timeout.map { "    timeout: \($0)" } ?? "")
            """)
        try app.write(".gitignore", "private/\n")
        try await app.commit("a build step")
        try FileManager.default.createDirectory(atPath: app.path + "/private", withIntermediateDirectories: true)
        try "API_TOKEN=\"\(token)\"\n".write(toFile: app.path + "/private/secrets", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: app.path + "/private/secrets")
        return app
    }

    /// No connection, no lock, no release on host1, and nothing of a build in the controller's cache.
    static func expectUntouched(_ sandbox: Sandbox, _ app: AppRepository, _ output: String,
                                sourceLocation: SourceLocation = #_sourceLocation) async throws {
        #expect(!output.contains("host_connected") && !output.contains("connected"), "\(output)", sourceLocation: sourceLocation)
        #expect(try await !sandbox.exists("host1", "/srv/app/.deployer"), "host1 was touched", sourceLocation: sourceLocation)
        let cache = (try? FileManager.default.contentsOfDirectory(atPath: app.path + "/.cache/deployer/artifacts")) ?? []
        #expect(!cache.contains { $0.hasPrefix("build-") || $0.hasPrefix("tmp-") }, "\(cache)", sourceLocation: sourceLocation)
    }

    @Test func aFailingStepStopsBeforeAnyHostShowingItsMaskedCommandAndLastLines() async throws {
        try await Sandbox.with(hosts: 1) { sandbox in
            let app = try await Self.app(#"echo "using token {{ API_TOKEN }}" && echo compiling main.c && exit 3"#)
            defer { app.remove() }
            for format in ["plain", "json"] {
                let log = app.path + "/\(format).jsonl"
                let push = try await sandbox.deployer(["push", "staging", "--format", format, "--log-file", log], in: app.path)
                #expect(push.status == 1, "\(push.output)")
                for text in [push.output, try String(contentsOfFile: log, encoding: .utf8)] {
                    #expect(!text.contains(Self.token), "the secret was shown: \(text)")
                    #expect(text.contains("build step 'compile' failed with exit status 3") && text.contains("compiling main.c")
                        && text.contains("using token ****"), "\(text)")
                    #expect(text.contains("using token ") && text.contains("${API_TOKEN}"),
                            "the command as run, holding the secret's reference: \(text)")
                }
                try await Self.expectUntouched(sandbox, app, push.output)
            }
        }
    }

    @Test func aStepPastItsTimeoutIsStoppedWithExitStatus124() async throws {
        try await Sandbox.with(hosts: 1) { sandbox in
            let app = try await Self.app("echo waiting && sleep 60", timeout: "1s")
            defer { app.remove() }
            let push = try await sandbox.deployer(["push", "staging", "--format", "plain"], in: app.path)
            #expect(push.status == 1, "\(push.output)")
            #expect(push.output.contains("build step 'compile' ran past its timeout of 1 s and was stopped (exit status 124)"),
                    "\(push.output)")
            #expect(push.output.contains("waiting"), "its last lines: \(push.output)")
            try await Self.expectUntouched(sandbox, app, push.output)
        }
    }

    @Test func ctrlCDuringABuildStopsItsWholeProcessGroup() async throws {
        try await Sandbox.with(hosts: 1) { sandbox in
            let pids = NSTemporaryDirectory() + "deployer-build-pids-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: pids) }
            // The step's shell leads its group; the sleep it starts in the background is no child deployer knows of,
            // and holds none of the step's output open: only killing the whole group stops it.
            let app = try await Self.app("echo $$ > \(pids) && sleep 300 >/dev/null 2>&1 & wait")
            defer { app.remove() }
            let push = try sandbox.start(["push", "staging", "--format", "plain"], in: app.path)
            let deadline = ContinuousClock.now + .seconds(60)
            while !push.output.contains("compile started") || !FileManager.default.fileExists(atPath: pids) {
                try #require(ContinuousClock.now < deadline, "the build step never started: \(push.output)")
                try await Task.sleep(for: .milliseconds(100))
            }
            try await Task.sleep(for: .milliseconds(300))
            let group = try String(contentsOfFile: pids, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            push.interrupt()
            let ended = await push.wait()
            #expect(ended.status == 1, "\(ended.output)")
            #expect(ended.output.contains("build step 'compile' was stopped (its process group killed)"), "\(ended.output)")
            let left = try await ProcessRunner.run("/bin/sh", ["-c", "ps -e -o pgid=,pid=,stat=,args= | awk '$1 == \(group) && $3 !~ /^Z/'"])
            // Killed processes that no one has reaped yet (zombies, state Z) run nothing: only live ones count.
            #expect(String(decoding: left.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
                    "left running in the build's process group \(group): \(String(decoding: left.stdout, as: UTF8.self))")
            try await Self.expectUntouched(sandbox, app, ended.output)
        }
    }
}
