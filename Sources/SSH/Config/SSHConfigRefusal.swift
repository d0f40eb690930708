/// An ssh_config setting a host obtains that deployer cannot honour over libssh2, and where it
/// was written, so the host fails with an error the user can act on instead of connecting
/// differently from `ssh`.
public struct SSHConfigRefusal: Sendable, Hashable, CustomStringConvertible {
    /// The file that holds the setting.
    public var path: String
    /// Its 1-based line.
    public var line: Int
    /// The keyword as written (`ForwardAgent`).
    public var keyword: String
    /// The value as written.
    public var value: String
    /// Why deployer cannot do what the setting asks.
    public var why: String

    /// `path:line: Keyword value (why)`.
    public var description: String {
        "\(path):\(line): \(keyword) \(value) (\(why))"
    }
}
