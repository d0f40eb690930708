/// Which of a remote command's output streams a line came from.
public enum CommandStream: String, Hashable, Sendable, Codable {
    case stdout, stderr
}
