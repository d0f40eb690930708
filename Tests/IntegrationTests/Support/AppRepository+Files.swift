import Foundation

extension AppRepository {
    /// A fresh git repository holding `files` (path relative to the repository: contents;
    /// directories made as needed), committed.
    init(files: [String: String]) async throws {
        path = NSTemporaryDirectory() + "deployer-app-" + UUID().uuidString
        for (file, contents) in files {
            try FileManager.default.createDirectory(atPath: ((path + "/" + file) as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try write(file, contents)
        }
        try await initialCommit("apps")
    }
}
