import DeployerExecution
import Foundation
import Testing

/// Several apps in one repository, each with its own `deploy.yml` in its folder and
/// `source: { git: . }`, pushed from the same commit with one controller cache.
@Suite(.tags(.sandbox)) struct MonorepoTests {
    static func recipe(_ app: String, host: String) -> String {
        """
        app: \(app)
        source: { git: . }
        deploy_to: /srv/\(app)
        environments:
          staging:
            hosts: { web: [\(host)] }
        """
    }

    /// The cache once keyed artifacts by the commit's root tree while each archive held only its
    /// app's folder: pushing web after api (warm cache) put api's files on web's host, exit 0.
    @Test func eachAppShipsItsOwnFolderFromAWarmCache() async throws {
        try await Sandbox.with(hosts: 2) { sandbox in
            let repository = try await AppRepository(files: [
                "apps/api/deploy.yml": Self.recipe("api", host: "host1"),
                "apps/api/server.txt": "api server\n",
                "apps/web/deploy.yml": Self.recipe("web", host: "host2"),
                "apps/web/index.html": "web page\n",
            ])
            defer { repository.remove() }
            let cache = repository.path + "/.cache"
            for (app, host, file, contents) in [("api", "host1", "server.txt", "api server\n"),
                                                ("web", "host2", "index.html", "web page\n")] {
                let push = try await sandbox.deployer(["push", "staging"], in: repository.path + "/apps/" + app,
                                                      cacheHome: cache)
                #expect(push.status == 0, "\(push.output)")
                #expect(try await sandbox.exec(host, "cd /srv/\(app)/current && ls | LC_ALL=C sort | tr '\\n' ' '")
                        == "REVISION REVISION_TIME deploy.yml \(file) ", "\(app) gets its own folder's files only")
                #expect(try await sandbox.exec(host, "cat /srv/\(app)/current/\(file)") == contents)
            }
            let head = try await ProcessRunner.run("/usr/bin/env", ["git", "-C", repository.path, "log", "-1", "--format=%H%n%ct"])
            #expect(try await sandbox.exec("host2", "cat /srv/web/current/REVISION /srv/web/current/REVISION_TIME")
                    == String(decoding: head.stdout, as: UTF8.self), "the full commit id and its time, as Capistrano writes them")
            let cached = try FileManager.default.contentsOfDirectory(atPath: cache + "/deployer/artifacts")
            #expect(cached.filter { $0.hasSuffix(".tar.gz") }.count == 2, "one artifact per app: \(cached)")
        }
    }
}
