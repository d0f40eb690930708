import DeployerModel
import Foundation
import Testing

/// Built-in recipes whose build runs on the controller (`local: true` steps), deployed for real to
/// sandbox hosts that could not build themselves: no C compiler on their PATH, no package index.
@Suite(.tags(.sandbox)) struct ControllerBuildRecipeTests {
    @Test func pythonWheelsCompilesACExtensionOnTheControllerForHostsWithoutACompiler() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await Self.fastgreetApp()
            defer { app.remove() }
            for host in sandbox.hosts {
                try await Self.removeCompilers(on: host, in: sandbox)
                #expect(try await sandbox.exec(host, "env PATH=/srv/nocc sh -c 'command -v cc gcc x86_64-linux-gnu-gcc' || true")
                        == "", "\(host) has no compiler on the PATH its commands run with")
            }
            let pushed = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(pushed.status == 0, "\(pushed.output)")
            #expect(pushed.output.contains("building wheels with /usr/bin/python3.11 for the hosts' cpython 3.11.2"),
                    "\(pushed.output)")
            for host in sandbox.hosts {
                #expect(try await sandbox.exec(host, "cd /srv/app/current && venv/bin/python app.py") == "hello from a C extension\n")
                #expect(try await sandbox.exec(host, "ls /srv/app/current/venv/lib/python3.11/site-packages | grep '^fastgreet.*\\.so$'")
                            .hasPrefix("fastgreet.cpython-311-x86_64-linux-gnu.so"), "\(host) runs the compiled extension")
                #expect(try await !sandbox.exists(host, "/srv/app/current/wheelhouse"), "the wheelhouse is not kept in the release")
            }
        }
    }

    /// One artifact serves every host: hosts whose Python differs, or a Python the controller cannot
    /// build for, stop the push before any host is touched, saying which hosts run what.
    @Test func pythonWheelsRefusesHostsItCannotBuildForBeforeTouchingAny() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await Self.fastgreetApp()
            defer { app.remove() }
            for host in sandbox.hosts { try await Self.removeCompilers(on: host, in: sandbox) }
            let python39 = "printf '#!/bin/sh\\necho cpython 3.9.2 cpython-39-x86_64-linux-gnu x86_64 glibc 2.31\\n' "
                + ">/srv/nocc/python3 && chmod 755 /srv/nocc/python3"
            try await sandbox.exec("host2", "rm /srv/nocc/python3 && " + python39)

            let differing = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(differing.status == 1, "\(differing.output)")
            #expect(differing.output.contains("the hosts answer its host_probe"), "\(differing.output)")
            #expect(differing.output.contains("host1: cpython 3.11.2 cpython-311-x86_64-linux-gnu x86_64 glibc"), "\(differing.output)")
            #expect(differing.output.contains("host2: cpython 3.9.2 cpython-39-x86_64-linux-gnu x86_64 glibc 2.31"), "\(differing.output)")
            #expect(!differing.output.contains("build step wheelhouse started"), "nothing was built")

            try await sandbox.exec("host1", "rm /srv/nocc/python3 && " + python39)
            let untargetable = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(untargetable.status == 1, "\(untargetable.output)")
            #expect(untargetable.output.contains("cannot make wheels for the hosts' Python (cpython 3.9.2"), "\(untargetable.output)")
            #expect(untargetable.output.contains("Install Python 3.9 on the controller"), "\(untargetable.output)")
            for host in sandbox.hosts { #expect(try await !sandbox.exists(host, "/srv/app"), "\(host) was not touched") }
        }
    }

    /// The python-wheels fixture with fastgreet's sdist (a C extension) packed in `sdists/`, committed.
    static func fastgreetApp() async throws -> AppRepository {
        let app = try await AppRepository(fixture: "python-wheels")
        try FileManager.default.createDirectory(atPath: app.path + "/sdists", withIntermediateDirectories: true)
        try await RecipeIntegrationTests.checked("/bin/tar", ["-czf", app.path + "/sdists/fastgreet-1.0.tar.gz", "-C", app.path,
                                                              "--transform", "s,^fastgreet,fastgreet-1.0,", "fastgreet"])
        try await app.commit("fastgreet's sdist")
        return app
    }

    /// Makes `/srv/nocc` on `host`: a link to every program of /usr/local/bin and /usr/bin but the C
    /// compilers, assemblers and linkers, for the fixture's `shell: env PATH=/srv/nocc sh -c`.
    static func removeCompilers(on host: String, in sandbox: Sandbox) async throws {
        try await sandbox.exec(host, """
            mkdir -p /srv/nocc && for f in /usr/local/bin/* /usr/bin/*; do
              b=${f##*/}
              case $b in *gcc*|cc|c89*|c99*|c++|*g++*|cpp*|clang*|tcc|*-cc|*-c++|ld|ld.*|*-ld|*-ld.*|as|*-as) continue ;; esac
              [ -e "/srv/nocc/$b" ] || ln -s "$f" "/srv/nocc/$b"
            done
            """)
    }
}
