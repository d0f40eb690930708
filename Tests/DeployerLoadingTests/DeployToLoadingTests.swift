import Testing

/// `deploy_to` values that would make deployer write where the recipe does not say are refused
/// in the loader, at the value (docs/security.md, "Paths stay inside deploy_to").
@Suite struct DeployToLoadingTests {
    static func recipe(deployTo: String) -> String {
        """
        app: shop
        deploy_to: \(deployTo)
        environments:
          prod: { hosts: { web: [p1] } }
        """
    }

    static func headlines(deployTo: String) -> [String] {
        InMemoryFiles(files: ["deploy.yml": recipe(deployTo: deployTo)]).headlines()
    }

    @Test(arguments: [
        ("/", "'deploy_to' must not be the root directory, found '/'; use a directory of its own such as /srv/APP"),
        ("//", "'deploy_to' must not be the root directory, found '//'; use a directory of its own such as /srv/APP"),
        ("/./", "'deploy_to' must not be the root directory, found '/./'; use a directory of its own such as /srv/APP"),
        ("/srv/../etc", "'deploy_to' must not contain '..' segments, found '/srv/../etc'; write the directory it means"),
        ("/srv/shop/..", "'deploy_to' must not contain '..' segments, found '/srv/shop/..'; write the directory it means"),
        (#""/srv/shop\nrm -rf /""#, #"'deploy_to' must not contain a newline or other control character, found '/srv/shop\nrm -rf /'"#),
        (#""/srv/sh\top""#, #"'deploy_to' must not contain a newline or other control character, found '/srv/sh\top'"#),
        (#""/srv/\e]0;pwned\a""#, #"'deploy_to' must not contain a newline or other control character, found '/srv/\u{1B}]0;pwned\u{07}'"#),
        // Taken literally before: every host got a directory named '{{ app }}' under /srv.
        (#""/srv/{{ app }}""#, "'deploy_to' is not a template, found '/srv/{{ app }}': hosts would get a directory named '{{ app }}'; "
            + "write the directory itself"),
    ])
    func refusedAtTheValue(deployTo: String, message: String) {
        #expect(Self.headlines(deployTo: deployTo) == ["deploy.yml:2:12: error: " + message])
    }

    @Test(arguments: ["/srv/shop", "/srv/shop/", "/srv/..shop", "/srv/shop../x", "/srv/./shop"])
    func ordinaryPathsLoad(deployTo: String) {
        #expect(Self.headlines(deployTo: deployTo) == [])
    }
}
