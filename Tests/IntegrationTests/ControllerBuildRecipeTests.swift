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

    /// node-build: npm ci, the build (with a dev dependency) and the prune run on the controller; hosts
    /// without npm on their PATH run the app from the declared outputs alone.
    @Test func nodeBuildBuildsOnTheControllerAndShipsWhatProductionNeeds() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await AppRepository(fixture: "node-build")
            defer { app.remove() }
            for host in sandbox.hosts {
                try await Self.makePath("/srv/bin", without: "npm|npx|corepack", on: host, in: sandbox)
                #expect(try await sandbox.exec(host, "env PATH=/srv/bin sh -c 'command -v npm npx' || true") == "")
            }
            let pushed = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(pushed.status == 0, "\(pushed.output)")
            #expect(pushed.output.contains("build step npm_build ok"), "\(pushed.output)")
            for host in sandbox.hosts {
                #expect(try await sandbox.exec(host, "cd /srv/app/current && env PATH=/srv/bin node app.js")
                        == "hello from greet, node\nbuilt by npm run build on the controller\n")
                let shipped = try await sandbox.exec(host, "cd /srv/app/current && ls; ls node_modules")
                #expect(shipped == "REVISION\nREVISION_TIME\napp.js\ndist\nnode_modules\npackage.json\ngreet\n",
                        "\(host): the outputs, no dev dependency: \(shipped)")
                #expect(try await sandbox.exec(host, "test -d /srv/app/current/node_modules/greet && "
                                                 + "test ! -L /srv/app/current/node_modules/greet && echo copied") == "copied\n")
            }
            let again = try await sandbox.deployer(["push", "staging", "--force"], in: app.path)
            #expect(again.status == 0, "\(again.output)")
            #expect(again.output.contains("found in the cache") && !again.output.contains("build step npm_build started"),
                    "\(again.output)")
        }
    }

    /// static-site with a generator run on the controller: only its output directory is shipped, and a
    /// generated site without index.html stops in prepare.
    @Test func staticSiteShipsOnlyTheGeneratedDirectory() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let app = try await AppRepository(fixture: "static-generated")
            defer { app.remove() }
            let pushed = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(pushed.status == 0, "\(pushed.output)")
            let release = try #require(try await sandbox.current("host1"))
            for host in sandbox.hosts {
                let shipped = try await sandbox.exec(host, "cd /srv/app/current && ls; ls _site")
                #expect(shipped == "REVISION\nREVISION_TIME\n_site\nabout.html\nindex.html\n", "\(host): the generated site alone: \(shipped)")
                #expect(try await sandbox.exec(host, "cat /srv/app/current/_site/index.html")
                        == "<!doctype html>\n<title>Home</title>\n<p>Welcome to the generated site.\n")
            }

            try await app.git(["rm", "-q", "pages/index.txt"])
            try await app.commit("no home page")
            let refused = try await sandbox.deployer(["push", "staging"], in: app.path)
            #expect(refused.status == 1, "\(refused.output)")
            #expect(refused.output.contains("the release has no index.html in _site"), "\(refused.output)")
            for host in sandbox.hosts { #expect(try await sandbox.current(host) == release) }
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

    /// Makes `/srv/nocc` on `host`: every program but the C compilers, assemblers and linkers, for the
    /// python-wheels fixture's `shell: env PATH=/srv/nocc sh -c`.
    static func removeCompilers(on host: String, in sandbox: Sandbox) async throws {
        try await makePath("/srv/nocc", without: "*gcc*|cc|c89*|c99*|c++|*g++*|cpp*|clang*|tcc|*-cc|*-c++|ld|ld.*|*-ld|*-ld.*|as|*-as",
                           on: host, in: sandbox)
    }

    /// Makes `directory` on `host`: a link to every program of /usr/local/bin and /usr/bin whose name
    /// does not match the shell pattern `excluded`, to be the PATH of the host's commands.
    static func makePath(_ directory: String, without excluded: String, on host: String, in sandbox: Sandbox) async throws {
        try await sandbox.exec(host, """
            mkdir -p \(directory) && for f in /usr/local/bin/* /usr/bin/*; do
              b=${f##*/}
              case $b in \(excluded)) continue ;; esac
              [ -e "\(directory)/$b" ] || ln -s "$f" "\(directory)/$b"
            done
            """)
    }
}
