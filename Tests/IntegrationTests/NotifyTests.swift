import Foundation
import Testing

/// `notify:` for real: a webhook stand-in on loopback and a command on the controller receive a
/// push's moments as JSON, with secrets masked; a notification that fails or hangs is a warning
/// and never changes the push's result or holds it past its timeout.
@Suite(.tags(.sandbox)) struct NotifyTests {
    static let token = "tok-9f3c2e71"

    /// A recipe whose notifications go to `receiver` (the token in the URL's path) and to a command
    /// appending what it reads to `commandLog`; `failing` adds a prepare task that prints the secret and fails.
    static func recipe(hosts: [String], receiver: NotifyReceiver, commandLog: String, extra: String = "",
                       failing: Bool = false) -> String {
        """
        app: demo
        source: { git: . }
        deploy_to: /srv/app
        secrets: [HOOK_TOKEN]
        notify:
          - url: "http://127.0.0.1:\(receiver.port)/hook/{{ HOOK_TOKEN }}"
          - { on: [succeeded, failed], run: "cat >>\(commandLog); echo \\"$DEPLOYER_NOTIFY_EVENT\\" >>\(commandLog).events" }
        \(extra)
        environments:
          staging:
            hosts: { web: [\(hosts.joined(separator: ", "))] }
        tasks:
          check:
            phase: prepare
            run: \(failing ? "\"echo token is $HOOK_TOKEN >&2; exit 3\"" : "\"true\"")
            env: { HOOK_TOKEN: "{{ HOOK_TOKEN }}" }
        """
    }

    @Test func aPushNotifiesItsStartAndItsEndWithSecretsMasked() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let receiver = try NotifyReceiver()
            defer { receiver.stop() }
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            let commandLog = app.path + "/.cache/notified.jsonl"
            try FileManager.default.createDirectory(atPath: app.path + "/.cache", withIntermediateDirectories: true)
            try app.write("deploy.yml", Self.recipe(hosts: sandbox.hosts, receiver: receiver, commandLog: commandLog))
            try await app.commit("notifications")
            let environment = ["HOOK_TOKEN": Self.token]

            let push = try await sandbox.deployer(["push", "staging", "--format", "json"], in: app.path,
                                                  environment: environment)
            #expect(push.status == 0, "\(push.output)")
            let posts = try receiver.received()
            #expect(posts.map { $0.body["event"] as? String } == ["started", "succeeded"], "\(posts)")
            #expect(posts.allSatisfy { $0.path == "/hook/\(Self.token)" }, "the secret fills the URL")
            let summary = posts.last?.body["summary"] as? [String: Any]
            #expect(summary?["result"] as? String == "succeeded" && summary?["exit_code"] as? Int == 0, "\(posts)")
            #expect(posts.first?.body["environment"] as? String == "staging")
            #expect(try String(contentsOfFile: commandLog + ".events", encoding: .utf8) == "succeeded\n",
                    "the command is sent only the moments it lists")
            #expect(push.output.contains(#""type":"notified""#) && !push.output.contains(#""ok":false"#), "\(push.output)")
            #expect(!push.output.contains(Self.token))

            try app.write("deploy.yml", Self.recipe(hosts: sandbox.hosts, receiver: receiver, commandLog: commandLog,
                                                    failing: true))
            try await app.commit("a failing check")
            let failed = try await sandbox.deployer(["push", "staging"], in: app.path, environment: environment)
            #expect(failed.status == 1, "\(failed.output)")
            let failure = try receiver.received().last?.body
            #expect(failure?["event"] as? String == "failed")
            let message = (failure?["summary"] as? [String: Any])?["message"] as? String ?? ""
            #expect(message.contains("token is ****") && !message.contains(Self.token), "\(message)")
            let command = try String(contentsOfFile: commandLog, encoding: .utf8)
            #expect(command.contains(#""event":"failed""#) && !command.contains(Self.token), "\(command)")
        }
    }

    @Test func aFailingOrHangingNotificationIsAWarningAndTheRunKeepsItsResult() async throws {
        try await Sandbox.with(hosts: 1) { sandbox in
            let receiver = try NotifyReceiver()
            defer { receiver.stop() }
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            try app.write("deploy.yml", """
                app: demo
                source: { git: . }
                deploy_to: /srv/app
                notify:
                  - { on: [succeeded], url: "http://127.0.0.1:\(receiver.port)/fail" }
                  - { on: [succeeded], url: "http://127.0.0.1:\(receiver.port)/slow", timeout: 2s }
                  - { on: [succeeded], run: "echo pager down >&2; exit 9" }
                environments:
                  staging:
                    hosts: { web: [\(sandbox.hosts.joined(separator: ", "))] }
                """)
            try await app.commit("notifications that fail")
            let started = ContinuousClock.now
            let push = try await sandbox.deployer(["push", "staging"], in: app.path)
            let elapsed = ContinuousClock.now - started
            #expect(push.status == 0, "\(push.output)")
            #expect(push.output.contains("warning: notification succeeded (url at deploy.yml:5:5) failed: exit status 22"),
                    "\(push.output)")
            #expect(push.output.contains("warning: notification succeeded (url at deploy.yml:6:5) failed: no answer within 2 s"),
                    "\(push.output)")
            #expect(push.output.contains("warning: notification succeeded (command at deploy.yml:7:5) failed: exit status 9: pager down"),
                    "\(push.output)")
            #expect(elapsed < .seconds(90), "the hook that answers after 120 s was waited for only up to its 2 s timeout: \(elapsed)")
        }
    }
}
