import Foundation
import Testing

/// Files every release links from `shared/` (`shared: { files: [...] }`): a push refuses to go on
/// without them, and `deployer shared ENV put` puts them on the hosts.
@Suite(.tags(.sandbox)) struct SharedFilesTests {
    /// Once, a missing shared file was created empty and linked, and the push succeeded.
    @Test func aMissingSharedFileFailsThePushUntilItIsPut() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts, sharedFiles: [".env", "config/local.py"])
            defer { app.remove() }
            try await sandbox.exec("host1", "mkdir -p /srv/app/shared/config && echo A=1 >/srv/app/shared/.env "
                + "&& echo x=1 >/srv/app/shared/config/local.py && chown -R deploy: /srv/app")
            let refused = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(refused.status == 1, "\(refused.output)")
            #expect(refused.output.contains("host2: prepare failed with exit status 1: missing shared file(s): "
                + "/srv/app/shared/.env, /srv/app/shared/config/local.py"), "\(refused.output)")
            #expect(!refused.output.contains("host1: prepare failed"), "host1 has both files")
            #expect(refused.output.contains("deployer shared staging put PATH --from FILE"), "\(refused.output)")
            #expect(refused.output.contains("no host switched"))
            for host in sandbox.hosts { #expect(try await sandbox.current(host) == nil) }
            #expect(try await !sandbox.exists("host2", "/srv/app/shared/.env"), "nothing is made up in its place")

            let secret = "SECRET_KEY=s3cr3t-value-9f2c"
            try app.write(".env.production", secret + "\n")
            try app.write("local.py", "DEBUG = False\n")
            // `--mode` (default 0600): config/local.py is put group-readable.
            for (path, file, mode) in [(".env", ".env.production", [String]()), ("config/local.py", "local.py", ["--mode", "0640"])] {
                let put = try await sandbox.deployer(["shared", "staging", "put", path, "--from", file] + mode, in: app.path)
                #expect(put.status == 0, "\(put.output)")
                #expect(!put.output.contains("s3cr3t"), "the contents are never printed")
            }
            for host in sandbox.hosts {
                #expect(try await sandbox.exec(host, "stat -c '%a %U' /srv/app/shared/.env") == "600 deploy\n")
                #expect(try await sandbox.exec(host, "stat -c '%a %U' /srv/app/shared/config/local.py") == "640 deploy\n")
                #expect(try await sandbox.exec(host, "cat /srv/app/shared/.env") == secret + "\n")
                let history = try await sandbox.exec(host, "tail -n 2 /srv/app/.deployer/history.jsonl")
                #expect(history.contains("\"action\":\"shared_put\"") && history.contains("shared/config/local.py put"),
                        "\(history)")
                #expect(!history.contains("s3cr3t"))
            }
            let pushed = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(pushed.status == 0, "\(pushed.output)")
            for host in sandbox.hosts {
                #expect(try await sandbox.exec(host, "cat /srv/app/current/.env /srv/app/current/config/local.py")
                        == secret + "\nDEBUG = False\n")
            }
        }
    }

    @Test func putRefusesAPathOutsideShared() async throws {
        try await Sandbox.with(hosts: 1) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts)
            defer { app.remove() }
            let refused = try await sandbox.deployer(["shared", "staging", "put", "../current/x", "--from", "app.txt"], in: app.path)
            #expect(refused.status == 2, "\(refused.output)")
            #expect(refused.output.contains("PATH must be a relative file path inside shared/"), "\(refused.output)")
        }
    }

    /// `shared ENV list`: each shared file and dir of the recipe, per host, with its size and mode and never its
    /// contents; a missing file is flagged (exit 1, since a push fails there), a missing dir only shown.
    @Test func listShowsEachSharedPathPerHostAndFlagsAMissingFile() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await AppRepository(hosts: sandbox.hosts, sharedFiles: [".env"])
            defer { app.remove() }
            try await sandbox.exec("host1", "mkdir -p /srv/app/shared/logs && printf 'K=s3cr3t\\n' >/srv/app/shared/.env "
                + "&& chmod 600 /srv/app/shared/.env && chown -R deploy: /srv/app")
            let listed = try await sandbox.deployer(["shared", "staging", "list", "--format", "json"], in: app.path)
            #expect(listed.status == 1, "\(listed.output)")
            #expect(!listed.output.contains("s3cr3t"), "contents are never read")
            let rows = listed.output.split(separator: "\n").filter { $0.contains(#""type":"shared_path""#) }
            #expect(rows.count == 4, "\(listed.output)")
            #expect(rows.contains { $0.contains(#""host":"host1","path":".env","declared":"file","found":"file","bytes":9,"mode":"600""#)
                && $0.hasSuffix(#""problem":null}"#) }, "\(listed.output)")
            #expect(rows.contains { $0.contains(#""host":"host2","path":".env","declared":"file","found":null"#)
                && $0.hasSuffix(#""problem":"missing"}"#) }, "\(listed.output)")
            #expect(rows.contains { $0.contains(#""host":"host2","path":"logs","declared":"dir","found":null"#)
                && $0.hasSuffix(#""problem":"missing (created by the next push)"}"#) }, "\(listed.output)")
            #expect(listed.output.contains("host2: shared/.env missing"), "\(listed.output)")

            try await sandbox.exec("host2", "mkdir -p /srv/app/shared && echo x >/srv/app/shared/.env && chown -R deploy: /srv/app")
            let text = try await sandbox.deployer(["shared", "staging", "list"], in: app.path)
            #expect(text.status == 0, "\(text.output)")
            #expect(text.output.contains("HOST   PATH  DECLARED  FOUND  BYTES  MODE"), "\(text.output)")
            #expect(text.output.contains("host2  logs  dir       -"), "\(text.output)")
            let refused = try await sandbox.deployer(["shared", "staging", "list", ".env"], in: app.path)
            #expect(refused.status == 2 && refused.output.contains("shared list takes no PATH"), "\(refused.output)")
        }
    }
}
