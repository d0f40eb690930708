/// One piece of a command's standard input: bytes in memory, or a local file streamed a packet
/// at a time (never whole in memory, so a hundred hosts can receive an artifact at once).
public enum SSHInput: Sendable, Hashable {
    case bytes([UInt8])
    case file(path: String)
}
