/// One command's traffic on a channel: what it printed so far, and, for a script run by the
/// session's script shell, where the script's end was seen.
///
/// Not Sendable: confined to its session's actor, like `ChannelHandle`.
struct ChannelExchange {
    let channel: ChannelHandle
    let command: String
    /// The exec request's answer has not been collected yet.
    var execPending: Bool
    let capture: Bool
    /// What the command printed, its last `OutputTail.limit` bytes per stream.
    private var stdoutTail = OutputTail()
    private var stderrTail = OutputTail()
    /// The ends of a script on the script shell, one per stream; nil for a plain command.
    private var scriptEnd: (stdout: ScriptEndScanner, stderr: ScriptEndScanner)?

    init(channel: ChannelHandle, command: String, execPending: Bool, capture: Bool, scriptEndToken: String? = nil) {
        self.channel = channel; self.command = command; self.execPending = execPending; self.capture = capture
        scriptEnd = scriptEndToken.map { (ScriptEndScanner(token: $0), ScriptEndScanner(token: $0)) }
    }

    /// Takes output from one stream: keeps it when capturing and passes it on, without the script's end mark.
    mutating func received(_ bytes: [UInt8], onStderr: Bool, onOutput: (@Sendable (SSHOutputChunk) -> Void)?) {
        var bytes = bytes
        if var end = scriptEnd {
            if onStderr { bytes = end.stderr.feed(bytes) } else { bytes = end.stdout.feed(bytes) }
            scriptEnd = end
        }
        guard !bytes.isEmpty else { return }
        if capture {
            if onStderr { stderrTail.append(bytes) } else { stdoutTail.append(bytes) }
        }
        onOutput?(onStderr ? .stderr(bytes) : .stdout(bytes))
    }

    /// The result of the command that ended with `exitStatus` (or `exitSignal`).
    func result(exitStatus: Int32, exitSignal: String?) -> SSHExecResult {
        let (stdout, stderr) = (stdoutTail.kept, stderrTail.kept)
        return SSHExecResult(stdout: stdout.bytes, stderr: stderr.bytes, exitStatus: exitStatus, exitSignal: exitSignal,
                             stdoutDropped: stdout.dropped, stderrDropped: stderr.dropped)
    }

    /// The script's exit status once its end has come on both streams (so nothing it printed is still on its way).
    var scriptStatus: Int32? {
        guard let scriptEnd, let trailer = scriptEnd.stdout.trailer, scriptEnd.stderr.trailer != nil else { return nil }
        return Int32(String(decoding: trailer.drop { $0 == UInt8(ascii: " ") }, as: UTF8.self)) ?? 255
    }

    /// Forgets the output of the last script, for the next one on the same shell.
    mutating func beginScript(endToken: String) {
        stdoutTail = OutputTail()
        stderrTail = OutputTail()
        scriptEnd = (ScriptEndScanner(token: endToken), ScriptEndScanner(token: endToken))
    }
}

/// How `SSHSession.pump` stopped.
enum PumpOutcome: Equatable {
    /// The command ended: its channel has seen EOF.
    case channelEnded
    /// The script shell finished a script, which exited with `status`; the shell waits for the next one.
    case scriptEnded(status: Int32)
}

/// Finds the line a script shell prints on one stream when a script ends: `token`, then the
/// rest of the line (the exit status on stdout). Output before it is passed on; the line itself
/// is not, even when it arrives split over several reads.
///
/// Bounded: what it holds back is at most the token and `maximumTrailerBytes`. The token followed
/// by more than that without a newline is not the end line (the shell prints a short status), so it
/// is passed on like other output instead of being held while waiting for a newline that a host
/// may never send.
struct ScriptEndScanner {
    let token: [UInt8]
    /// Bytes held back: a possible start of the token, or the token with its line not yet complete.
    private var held: [UInt8] = []
    /// What followed the token on its line, once the line is complete.
    private(set) var trailer: [UInt8]?
    /// The most that may follow the token on the end line: a space and an exit status.
    static let maximumTrailerBytes = 32

    init(token: String) { self.token = Array(token.utf8) }

    /// Takes `bytes` read from the stream; returns those to pass on.
    mutating func feed(_ bytes: [UInt8]) -> [UInt8] {
        guard trailer == nil else { return bytes }
        let data = held + bytes
        held = []
        var from = 0
        while let start = Self.firstIndex(of: token, in: data, from: from) {
            let afterToken = start + token.count
            let lineEnd = data[afterToken...].prefix(Self.maximumTrailerBytes + 1).firstIndex(of: UInt8(ascii: "\n"))
            if let newline = lineEnd {
                trailer = Array(data[afterToken..<newline])
                return Array(data[..<start]) + Array(data[(newline + 1)...])
            }
            if data.count - afterToken <= Self.maximumTrailerBytes {
                held = Array(data[start...])
                return Array(data[..<start])
            }
            from = start + 1  // too long a line for the end line: ordinary output
        }
        // Hold back the longest end of `data` that could begin the token.
        var keep = min(token.count - 1, data.count - from)
        while keep > 0 && !data[(data.count - keep)...].elementsEqual(token[..<keep]) { keep -= 1 }
        held = Array(data[(data.count - keep)...])
        return Array(data[..<(data.count - keep)])
    }

    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard haystack.count - from >= needle.count else { return nil }
        for start in from...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return start }
        }
        return nil
    }
}
