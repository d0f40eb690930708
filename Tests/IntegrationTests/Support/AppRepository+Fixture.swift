import Foundation

extension AppRepository {
    /// The apps the built-in recipes are deployed with, one directory each.
    static let fixtures = Sandbox.repository + "/Tests/IntegrationTests/Fixtures/recipes"

    /// A fresh git repository holding a copy of the fixture app `name`
    /// (its `deploy.yml` names the sandbox hosts `host1` and `host2`), committed.
    init(fixture name: String) async throws {
        path = NSTemporaryDirectory() + "deployer-app-" + UUID().uuidString
        try FileManager.default.copyItem(atPath: AppRepository.fixtures + "/" + name, toPath: path)
        try await initialCommit("fixture " + name)
    }

    /// Replaces the app's `wheelhouse/` with `wheels`, pins each in
    /// `requirements.txt` (`name==version`, from the wheel's file name) and commits.
    func useWheels(_ wheels: [String]) async throws {
        let wheelhouse = path + "/wheelhouse"
        try? FileManager.default.removeItem(atPath: wheelhouse)
        try FileManager.default.createDirectory(atPath: wheelhouse, withIntermediateDirectories: true)
        var pins: [String] = []
        for wheel in wheels {
            let name = (wheel as NSString).lastPathComponent
            try FileManager.default.copyItem(atPath: wheel, toPath: wheelhouse + "/" + name)
            let parts = name.split(separator: "-")
            pins.append(parts[0] + "==" + parts[1])
        }
        try write("requirements.txt", pins.joined(separator: "\n") + "\n")
        try await commit("wheels: " + pins.joined(separator: ", "))
    }
}
