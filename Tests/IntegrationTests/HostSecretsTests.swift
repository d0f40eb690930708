import Foundation
import Testing

/// Secrets on the hosts: never on a command line, in logs only masked and readable by the login user only,
/// and handed to tasks as the values themselves.
@Suite(.tags(.sandbox)) struct HostSecretsTests {
    /// The documented `env: { SENTRY_DSN: "{{ SENTRY_DSN }}" }` gives the task the secret itself (it used to give
    /// it the text `"${SENTRY_DSN}"`, quotes included); a task's log is mode 600 with the secret as `****`; a
    /// health check whose URL holds the secret keeps it out of `curl`'s arguments (taken with `ps` while the
    /// check waits on a slow socket).
    @Test func secretsReachTasksAsValuesAndNoCommandLineOrReadableLog() async throws {
        try await Sandbox.with(hosts: 1) { sandbox in
            let secret = "h0st-s3cret"
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            try app.write("slow.py", """
                import os, socket, sys, time
                path = sys.argv[1]
                s = socket.socket(socket.AF_UNIX)
                s.bind(path)
                s.listen(1)
                c, _ = s.accept()
                time.sleep(1.5)
                c.sendall(b"HTTP/1.0 200 OK\\r\\nContent-Length: 0\\r\\n\\r\\n")
                c.close()

                """)
            try app.write("deploy.yml", """
                app: demo
                source: { git: . }
                deploy_to: /srv/app
                shared: { dirs: [logs] }
                secrets: [API_TOKEN]
                secrets_file: private/secrets
                environments:
                  staging:
                    hosts: { web: [host1] }
                    health: { http: "http://localhost/health?token={{ API_TOKEN }}", unix_socket: "{{shared}}/slow.sock", timeout: 5s }
                tasks:
                  use_token:
                    phase: prepare
                    run: printf '%s|' "$TOKEN" "$SETTINGS" > {{shared}}/env.txt && echo token is {{API_TOKEN}} && echo done
                    env: { TOKEN: "{{ API_TOKEN }}", SETTINGS: "app settings" }
                  serve:
                    phase: after_switch
                    run: >-
                      setsid python3 slow.py {{shared}}/slow.sock </dev/null >/dev/null 2>&1 &
                      for i in $(seq 1 50); do [ -S {{shared}}/slow.sock ] && break; sleep 0.1; done;
                      (for i in $(seq 1 25); do ps -eo args >> {{shared}}/ps.txt; sleep 0.1; done) </dev/null >/dev/null 2>&1 &
                """)
            try app.write(".gitignore", "private/\n")
            try await app.commit("a secret in env and in the health check")
            try FileManager.default.createDirectory(atPath: app.path + "/private", withIntermediateDirectories: true)
            try "API_TOKEN=\(secret)\n".write(toFile: app.path + "/private/secrets", atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: app.path + "/private/secrets")
            let pushed = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(pushed.status == 0, "\(pushed.output)")
            #expect(try await sandbox.exec("host1", "cat /srv/app/shared/env.txt") == "\(secret)|app settings|")
            let logs = try await sandbox.exec("host1", "cd /srv/app/current/.deployer-logs && stat -c '%a %n' * && cat use_token.log")
            #expect(logs.contains("600 use_token.log\n") && logs.contains("token is ****\ndone\n"), "\(logs)")
            #expect(!logs.contains(secret), "\(logs)")
            let processes = try await sandbox.exec("host1", "cat /srv/app/shared/ps.txt")
            #expect(processes.contains("curl -sS -K -"), "ps ran while curl did: \(processes)")
            #expect(!processes.contains(secret), "\(processes)")
        }
    }
}
