import Foundation

extension AppRepository {
    /// Commits a recipe whose one secret, API_TOKEN, comes from `private/secrets`
    /// (git-ignored, mode 600, holding `value`), with `task` (YAML for one prepare
    /// task's `run:`) as its only task; the path of the secrets file.
    @discardableResult
    func useSecretFromFile(_ value: String, hosts: [String], task: String) async throws -> String {
        try write("deploy.yml", """
            app: demo
            source: { git: . }
            deploy_to: /srv/app
            secrets: [API_TOKEN]
            secrets_file: private/secrets
            environments:
              staging:
                hosts: { web: [\(hosts.joined(separator: ", "))] }
            tasks:
              use_token:
                phase: prepare
                run: \(task)
            """)
        try write(".gitignore", "private/\n")
        try await commit("a secret from a file")
        try FileManager.default.createDirectory(atPath: path + "/private", withIntermediateDirectories: true)
        let secrets = path + "/private/secrets"
        try "# for deployer\nAPI_TOKEN=\"\(value)\"\n".write(toFile: secrets, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secrets)
        return secrets
    }
}
