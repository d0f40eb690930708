/// Why no artifact could be made; all are the operator's to fix (exit 2).
public struct ArtifactError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
