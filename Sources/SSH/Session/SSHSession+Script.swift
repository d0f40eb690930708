import CLibSSH2

extension SSHSession {
    /// Runs `script` on the session's script shell: one `shell` (a command that reads a script on
    /// standard input, like `sh -s`) started once on its own channel and kept open, which runs each
    /// script it is sent in a subshell, with standard input from /dev/null, then prints a line
    /// saying that it ended and how. A second script costs its round trip only: no channel to open,
    /// no shell to start (on the host that is a fork of sshd and two or three shells less).
    ///
    /// When the shell is busy (another script runs) or was started for another command, or when it
    /// has died, the script runs as a plain command on a channel of its own instead.
    func runScript(_ script: String, shell: String, onOutput: (@Sendable (SSHOutputChunk) -> Void)?) async throws -> SSHExecResult {
        let session = try liveHandle()
        let remote = try Self.remoteCommand(shell, environment: [:], timeout: nil, host: host)
        let never = { SSHError(.timeout, host: self.host, "no deadline") }
        if scriptShellBusy || scriptShell.map({ $0.command != remote }) == true {
            return try await run(remote, input: try inputSource([.bytes(Array(script.utf8))]), deadline: nil, onDeadline: never,
                                 capture: true, onOutput: onOutput)
        }
        loop.beginOperation()
        defer { loop.endOperation() }
        let token = "\u{1}deployer-script-end-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        var exchange: ChannelExchange
        if let existing = scriptShell {
            exchange = existing
            exchange.beginScript(endToken: token)
        } else {
            let taken = try await takeChannel(for: remote, session, until: nil, onDeadline: never)
            note("exec sent: `\(remote.prefix(24))` (script shell)")
            exchange = ChannelExchange(channel: taken.channel, command: remote, execPending: taken.execPending,
                                       capture: true, scriptEndToken: token)
        }
        scriptShell = nil
        scriptShellBusy = true
        defer { scriptShellBusy = false }
        let outcome = try await pump(&exchange, input: try inputSource([.bytes(Self.subshell(script, endToken: token))]), sendEOF: false,
                                     session, until: nil, onDeadline: never, onOutput: onOutput)
        switch outcome {
        case let .scriptEnded(status):
            scriptShell = exchange
            return exchange.result(exitStatus: status, exitSignal: nil)
        case .channelEnded:
            return try await close(exchange, until: nil, onDeadline: never)
        }
    }

    /// `script` as the script shell runs it: in a subshell (its variables, `cd`, traps and `exit`
    /// stay there) that cannot read the shell's input, then the end line on both streams.
    ///
    /// Built in one array of its exact size: a hundred hosts' scripts wait in memory at once, and
    /// concatenating arrays held the script in up to three copies (the last with room to spare).
    static func subshell(_ script: String, endToken: String) -> [UInt8] {
        let tail = endToken.dropFirst()  // the leading \001, written by printf
        let head = "(\n".utf8
        let end = ("\n) </dev/null\nst=$?; printf '\\001%s %s\\n' '\(tail)' \"$st\"; "
            + "printf '\\001%s\\n' '\(tail)' >&2\n").utf8
        var bytes: [UInt8] = []
        bytes.reserveCapacity(head.count + script.utf8.count + end.count)
        bytes += head
        bytes += script.utf8
        bytes += end
        return bytes
    }
}
