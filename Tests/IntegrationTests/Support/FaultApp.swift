import Foundation

/// The app the fault matrix deploys: a recipe that calls `/srv/fault/hook`
/// at every phase a recipe reaches (env build, prepare, before_switch,
/// after_switch, health, after_rollback; each with a timeout a hanging hook
/// runs past), `keep_releases: 1` so a clean push prunes, and 16 KB of
/// incompressible data so an upload can be cut halfway.
struct FaultApp: Sendable {
    let repository: AppRepository
    var path: String { repository.path }

    init(hosts: [String]) async throws {
        repository = try await AppRepository(hosts: hosts)
        try repository.write("deploy.yml", """
            app: demo
            source: { git: . }
            deploy_to: \(FaultBench.deployTo)
            keep_releases: 1
            shared: { dirs: [logs], files: [.env] }
            envs:
              venv:
                key: [requirements.txt]
                build: "/srv/fault/hook env-build && mkdir -p {{env_dir}} && cp requirements.txt {{env_dir}}/built-from.txt"
            environments:
              staging:
                hosts: { web: [\(hosts.joined(separator: ", "))] }
                health: { run: "/srv/fault/hook health", timeout: 3s, retries: 0 }
            tasks:
              prepare_hook: { phase: prepare, timeout: 3s, run: "/srv/fault/hook prepare-task" }
              before_switch_hook: { phase: before_switch, timeout: 3s, run: "/srv/fault/hook before-switch" }
              after_switch_hook: { phase: after_switch, timeout: 3s, run: "/srv/fault/hook after-switch" }
              after_rollback_hook: { phase: after_rollback, timeout: 3s, run: "/srv/fault/hook rollback" }

            """)
        let noise = Data((0..<16_384).map { _ in UInt8.random(in: 0...255) })
        try noise.write(to: URL(fileURLWithPath: path + "/blob.bin"))
        try await repository.commit("fault matrix app")
    }

    /// Commits a new revision whose requirements change too, so the push builds an env.
    func newRevision(_ version: String) async throws {
        try repository.write("requirements.txt", "flask==\(version)\n")
        try await repository.newRevision(version)
    }

    func remove() { repository.remove() }
}
