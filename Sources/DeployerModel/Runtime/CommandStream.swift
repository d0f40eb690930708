/// Which of a remote command's output streams a line came from.
public enum CommandStream: String, Hashable, Sendable, Codable {
    case stdout, stderr
    /// Standard output and error together, in the order written: a task's log (`deployer task`), which keeps
    /// both in one file as every task's log on the hosts does.
    case combined
}
