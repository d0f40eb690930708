/// A piece of a remote command's output, delivered as it arrives.
public enum SSHOutputChunk: Sendable, Equatable {
    /// Bytes the command wrote to standard output.
    case stdout([UInt8])
    /// Bytes the command wrote to standard error.
    case stderr([UInt8])
}
