extension SSHConnection {
    /// The text `exec` sends for `command` with `timeout`: under timeout(1) when a timeout is given,
    /// so the host itself stops it (TERM, then KILL `killGrace` seconds later). For another client
    /// (the OpenSSH transport) to run commands exactly as a libssh2 connection does.
    public static func remoteCommand(_ command: String, timeout: Duration?) -> String {
        // No environment to export: nothing to refuse.
        (try? SSHSession.remoteCommand(command, environment: [:], timeout: timeout, host: "")) ?? command
    }

    /// Seconds between timeout(1)'s TERM and KILL on the host.
    public static var killGrace: Int { SSHSession.killGrace }
}
