/// A dependency environment picked by the hash of its key files:
/// `envs/NAME-HASH` on every host, built once and reused while the key is unchanged.
public struct EnvKey: Hashable, Sendable, Codable {
    public var name: String
    /// Hex prefix of the SHA-256 over the key files' paths and contents.
    public var hash: String

    public init(name: String, hash: String) { self.name = name; self.hash = hash }

    public var directoryName: String { name + "-" + hash }
}
