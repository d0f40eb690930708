/// A file of secret values named by the recipe (`secrets_file:`), in dotenv
/// form (`NAME=value` lines). Only its location is part of the recipe; its
/// values are read when a command runs and never hashed or printed.
public struct SecretsFile: Hashable, Sendable, Codable {
    /// Absolute, or relative to the directory deployer runs in when the recipe's own path was relative.
    public var path: String
    /// The `secrets_file:` value in the recipe, for errors about the file.
    public var location: SourceLocation

    public init(path: String, location: SourceLocation) {
        self.path = path
        self.location = location
    }
}
