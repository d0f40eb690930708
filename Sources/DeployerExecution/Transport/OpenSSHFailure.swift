import Foundation

/// What went wrong with an `ssh` process, in deployer's words, from what ssh wrote (its standard
/// error and its master's log): the last lines, with the cause named when ssh's wording shows it.
enum OpenSSHFailure {
    /// The last few non-empty lines of `text`, joined.
    static func tail(_ text: String, lines: Int = 3) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.suffix(lines).joined(separator: "; ")
    }

    /// `ssh`'s words (`output`) prefixed with what they mean; `line` gives the timeouts.
    static func describe(_ output: String, line: OpenSSHCommandLine) -> String {
        let said = tail(output)
        let cause: String?
        if said.contains("not responding") {
            cause = "the connection went silent (no answer to \(line.keepAliveCountMax) keepalive(s) "
                + "\(line.keepAliveInterval) s apart)"
        } else if said.contains("banner exchange") {
            cause = "the host sent no SSH banner within \(line.connectTimeoutSeconds) s"
        } else if said.contains("Connection timed out") || said.contains("Operation timed out") {
            cause = "no TCP connection within \(line.connectTimeoutSeconds) s"
        } else {
            cause = nil
        }
        let words = said.isEmpty ? "ssh said nothing" : said.hasPrefix("ssh: ") ? said : "ssh: " + said
        return cause.map { "\($0); \(words)" } ?? words
    }
}
