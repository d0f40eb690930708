import DeployerLoading
import DeployerModel
import Testing

/// `ssh: { transport: … }` per environment: read, resolved, and a misspelling refused where it is written.
@Suite struct SSHTransportLoadingTests {
    @Test func eachEnvironmentKeepsItsOwnChoice() throws {
        let text = """
            app: shop
            deploy_to: /srv/shop
            environments:
              staging: { hosts: { web: [s1] } }
              prod:
                hosts: { web: [p1] }
                ssh: { transport: openssh }
            """
        let loader = InMemoryFiles(files: ["deploy.yml": text]).loader
        let recipe = try loader.load(path: "deploy.yml").get()
        #expect(try loader.resolve(recipe, environment: "prod").sshTransport == .openssh)
        #expect(try loader.resolve(recipe, environment: "staging").sshTransport == nil)
        // How hosts are reached changes nothing that runs on them.
        #expect(try loader.resolve(recipe, environment: "prod").releaseFingerprint
            == loader.resolve(recipe, environment: "staging").releaseFingerprint)
    }

    @Test func anUnknownTransportOrKeyIsRefusedWhereItIsWritten() {
        let text = """
            app: shop
            deploy_to: /srv/shop
            environments:
              prod:
                hosts: { web: [p1] }
                ssh: { transport: opensh }
              staging:
                hosts: { web: [s1] }
                ssh: { transprt: openssh }
            """
        #expect(InMemoryFiles(files: ["deploy.yml": text]).headlines() == [
            "deploy.yml:6:23: error: unknown SSH transport 'opensh'; expected 'libssh2' or 'openssh'; did you mean 'openssh'?",
            "deploy.yml:9:12: error: unknown key 'transprt' in 'ssh' of environment 'staging'; did you mean 'transport'?",
        ])
    }
}
