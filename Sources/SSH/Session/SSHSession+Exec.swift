import CLibSSH2

extension SSHSession {
    /// Supplies a command's standard input in pieces.
    struct InputSource {
        /// The next piece, nil at the end; the source may reuse a piece's storage for the next.
        let next: () throws -> ArraySlice<UInt8>?
        /// Whether `next` is known to return nil now, found without reading: the end of the input
        /// is then sent at once even while the input is paused (see `pump`).
        let isExhausted: () -> Bool
    }

    /// Bytes read from a channel at a time: one SSH packet (32 KiB). The buffers are shared by
    /// every session (`ReadBufferPool`): one each made 3.2 MB at a hundred hosts.
    static let readBufferSize = 32 * 1024

    /// Grace after a command's timeout for timeout(1) on the host to stop it, before the channel is closed.
    static let killGrace = 5

    /// Runs `command` as the user's login shell would (`$SHELL -c`), returning when it ends;
    /// `input`, in order, is its standard input.
    func exec(
        _ command: String, input: [SSHInput], environment: [String: String], timeout: Duration?,
        capture: Bool, onOutput: (@Sendable (SSHOutputChunk) -> Void)?
    ) async throws -> SSHExecResult {
        let remote = try Self.remoteCommand(command, environment: environment, timeout: timeout, host: host)
        let source = try inputSource(input)
        let started = Monotonic.now()
        let localDeadline = timeout.map { started + Self.nanoseconds($0 + .seconds(Self.killGrace + 2)) }
        let timedOut = {
            SSHError(.timeout, host: self.host,
                     "`\(command)` did not finish within \(timeout ?? .zero) and did not stop when told to; the channel was closed, so the command may still run on the host",
                     fix: "check for stuck processes on the host, or raise the timeout")
        }
        let result = try await run(remote, input: source, deadline: localDeadline, onDeadline: timedOut, capture: capture, onOutput: onOutput)
        if let timeout, result.exitSignal == nil, result.exitStatus == 124 || result.exitStatus == 137,
           Monotonic.now() - started >= Self.nanoseconds(timeout) {
            throw SSHError(.timeout, host: host,
                           "`\(command)` did not finish within \(timeout); it was stopped on the host (timeout(1): TERM, then KILL after \(Self.killGrace) s)",
                           fix: "raise the timeout if the command needs longer")
        }
        return result
    }

    /// `input`'s pieces one after the other (files opened now, so a missing one fails before the command starts).
    func inputSource(_ input: [SSHInput]) throws -> InputSource {
        let readers = try input.map { piece throws(SSHError) -> FileChunkReader? in
            guard case let .file(path) = piece else { return nil }
            return try FileChunkReader(path: path, host: host)
        }
        var index = 0
        return InputSource(next: {
            while index < input.count {
                if let reader = readers[index] {
                    if let chunk = try reader.next() { return chunk }
                } else if case let .bytes(bytes) = input[index], !bytes.isEmpty {
                    index += 1
                    return bytes[...]
                }
                index += 1
            }
            return nil
        }, isExhausted: {
            (index..<input.count).allSatisfy { position in
                if let reader = readers[position] { return reader.isAtEnd }
                if case let .bytes(bytes) = input[position] { return bytes.isEmpty }
                return true
            }
        })
    }

    /// The text sent in the exec request: environment exports, then the command, under
    /// timeout(1) when a timeout is given so the host itself stops it.
    static func remoteCommand(_ command: String, environment: [String: String], timeout: Duration?, host: String) throws -> String {
        var parts: [String] = []
        if !environment.isEmpty {
            for name in environment.keys where !isValidVariableName(name) {
                throw SSHError(.local, host: host, "'\(name)' is not a valid environment variable name")
            }
            parts.append("export " + environment.sorted { $0.key < $1.key }.map { "\($0.key)=\(shellQuote($0.value))" }.joined(separator: " ") + ";")
        }
        if let timeout {
            let seconds = max(1, Int(timeout.components.seconds) + (timeout.components.attoseconds > 0 ? 1 : 0))
            parts.append("exec timeout --kill-after=\(killGrace) \(seconds) \"${SHELL:-/bin/sh}\" -c \(shellQuote(command))")
        } else {
            parts.append(command)
        }
        return parts.joined(separator: " ")
    }

    /// `text` in single quotes for a POSIX shell, scalar by scalar: Foundation's `replacingOccurrences`
    /// skipped a `'` followed by a combining mark, which then ended the quoted word.
    static func shellQuote(_ text: String) -> String {
        "'" + String(String.UnicodeScalarView(text.unicodeScalars.flatMap { $0 == "'" ? Array("'\\''".unicodeScalars) : [$0] })) + "'"
    }

    private static func isValidVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0) }
    }

    static func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        return UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
    }

    /// Opens a channel, runs `remoteCommand`, feeds `input` and reads stdout and stderr
    /// interleaved (so a command that fills the stderr window never deadlocks), then closes the
    /// channel and collects the exit status and signal.
    func run(
        _ remoteCommand: String, input: InputSource?, deadline: UInt64?, onDeadline: () -> SSHError,
        capture: Bool, onOutput: (@Sendable (SSHOutputChunk) -> Void)?
    ) async throws -> SSHExecResult {
        let session = try liveHandle()
        loop.beginOperation()
        defer { loop.endOperation() }
        // The exec answer is collected in the loop below, with the output.
        let taken = try await takeChannel(for: remoteCommand, session, until: deadline, onDeadline: onDeadline)
        note("exec sent: `\(remoteCommand.prefix(24))`")
        var exchange = ChannelExchange(channel: taken.channel, command: remoteCommand, execPending: taken.execPending,
                                       capture: capture)
        _ = try await pump(&exchange, input: input, sendEOF: true, session, until: deadline, onDeadline: onDeadline,
                           onOutput: onOutput)
        return try await close(exchange, until: deadline, onDeadline: onDeadline)
    }

    /// Feeds `input` to the exchange's command (then EOF when `sendEOF`) while passing its output on,
    /// until the command ends, or until its `scriptEnd` has been seen on both streams.
    func pump(
        _ exchange: inout ChannelExchange, input: InputSource?, sendEOF: Bool, _ session: SessionHandle,
        until deadline: UInt64?, onDeadline: () -> SSHError, onOutput: (@Sendable (SSHOutputChunk) -> Void)?
    ) async throws -> PumpOutcome {
        let channel = exchange.channel
        let label = exchange.command.prefix(24)
        var pending: ArraySlice<UInt8> = []
        var inputDone = input == nil
        var eofSent = !sendEOF && inputDone
        // Input sent and not yet acknowledged is the widest window seen less the current one.
        let inFlightLimit = InputPacing.limit(roundTrip: quickestOpen)
        var widestWindow = 0
        var writeBlocked = false
        var paused = false
        /// Whether to hold back input now: the limit is reached and (`more`) there is more to send.
        /// Noted once per command.
        func mustPause(_ more: () -> Bool = { true }) -> Bool {
            guard overInputLimit(&widestWindow, inFlightLimit, channel), more() else { return false }
            if !paused { note("input paused: \(widestWindow - channel.sendWindow) bytes unacknowledged") }
            paused = true
            return true
        }

        while true {
            var progressed = false
            if exchange.execPending {
                exchange.execPending = try execAnswer(exchange.command, on: channel)
                if !exchange.execPending { note("exec accepted: `\(label)`") }
            }
            advanceSpare(session)
            try ReadBufferPool.shared.withBuffer { buffer in
                for stream: Int32 in [0, SSH_EXTENDED_DATA_STDERR] {
                    for _ in 0..<32 {
                        let count = channel.read(stream: stream, into: buffer)
                        if count == Int(LIBSSH2_ERROR_EAGAIN) || count == 0 { break }
                        guard count > 0 else { throw connectionLost(Int32(count), "reading the command's output") }
                        progressed = true
                        exchange.received(Array(buffer[0..<count]), onStderr: stream != 0, onOutput: onOutput)
                    }
                }
            }
            if let status = exchange.scriptStatus {
                note("script ended: `\(label)`")
                return .scriptEnded(status: status)
            }
            while !eofSent {
                if pending.isEmpty && !inputDone {
                    // The next piece is read only once it may be sent: read ahead, it would wait in
                    // memory for the window (a chunk per host in a push to a hundred hosts).
                    if let input, mustPause({ !input.isExhausted() }) { break }
                    pending = []  // the source may reuse the storage of the last piece
                    if let next = try input?.next() { pending = next } else { inputDone = true }
                    continue
                }
                if pending.isEmpty {
                    guard sendEOF else { eofSent = true; break }
                    let rc = libssh2_channel_send_eof(channel.raw)
                    if LibSSH2.wouldBlock(rc) { break }
                    eofSent = true
                    break
                }
                // A packet libssh2 could only partly send must be finished before a pause.
                if !writeBlocked, mustPause() { break }
                let written = pending.withUnsafeBytes { channel.write($0) }
                writeBlocked = written == Int(LIBSSH2_ERROR_EAGAIN)
                if writeBlocked { break }
                if written < 0 {
                    // The command stopped reading (it exited or closed stdin): drop the rest.
                    pending = []
                    inputDone = true
                    eofSent = true
                    break
                }
                pending = pending.dropFirst(written)
                if pending.isEmpty { pending = [] }  // frees the piece's storage while the next waits
                progressed = true
            }
            if channel.isAtEOF {
                note("end of output: `\(label)`")
                return .channelEnded
            }
            if progressed {
                loop.noteProgress()
                await Task.yield()
                continue
            }
            do {
                try await waitForSocket(until: deadline, onDeadline: onDeadline)
            } catch {
                _ = libssh2_channel_close(channel.raw)
                throw error
            }
        }
    }

    /// Whether the input sent and not yet acknowledged (the widest window seen, which this updates,
    /// less the current one) has reached `limit`.
    private func overInputLimit(_ widestWindow: inout Int, _ limit: Int, _ channel: ChannelHandle) -> Bool {
        let window = channel.sendWindow
        widestWindow = max(widestWindow, window)
        return widestWindow - window >= limit
    }

    /// Closes the channel of a command that ended and collects how it ended.
    func close(_ exchange: ChannelExchange, until deadline: UInt64?, onDeadline: () -> SSHError) async throws -> SSHExecResult {
        let channel = exchange.channel
        if exchange.execPending {
            // The answer came with the output; it is in libssh2's queue already.
            let rc = try await retrying(until: deadline, onDeadline: onDeadline) { shim_channel_exec(channel.raw, exchange.command) }
            guard rc == 0 else { throw libraryError(.channel, "the server refused to run the command") }
        }
        let closeDeadline = Monotonic.after(.seconds(5))
        let closing = { SSHError(.channel, host: self.host, "the server did not close the channel") }
        _ = try await retrying(until: closeDeadline, onDeadline: closing) { libssh2_channel_close(channel.raw) }
        _ = try await retrying(until: closeDeadline, onDeadline: closing) { libssh2_channel_wait_closed(channel.raw) }
        note("command ended and channel closed: `\(exchange.command.prefix(24))`")
        return exchange.result(exitStatus: channel.exitStatus, exitSignal: channel.exitSignal)
    }

    /// Asks for `remoteCommand` to be started on a spare channel while the next command runs, so
    /// that a later `run` of exactly that text finds its channel open and its exec answered:
    /// one round trip for the whole command instead of three.
    func prestart(_ remoteCommand: String) {
        prestartCommand = remoteCommand
    }

    /// The channel for `remoteCommand`, and whether its exec answer is still to be collected:
    /// the spare when it serves, else a new channel with the request just sent (open, then exec:
    /// one round trip, plus one until the server opens standard input).
    func takeChannel(for remoteCommand: String, _ session: SessionHandle, until deadline: UInt64?,
                             onDeadline: () -> SSHError) async throws -> (channel: ChannelHandle, execPending: Bool) {
        var channel: ChannelHandle?
        // libssh2 opens one channel at a time: a spare under way is the one answered next.
        let opening = spareOpenBegan ?? Monotonic.now()
        spareOpenBegan = nil
        while channel == nil {
            if let ready = spare, ready.serves(remoteCommand) {
                spare = nil
                if ready.command != nil {
                    note("prestarted channel taken")
                    return (ready.channel, !ready.accepted)
                }
                channel = ready.channel
            } else if let raw = shim_channel_open_session(session.raw) {
                // libssh2 opens one channel at a time per session: this call may complete the spare's open.
                channel = ChannelHandle(raw: raw, session: session)
                timeOpen(since: opening)
            } else if libssh2_session_last_errno(session.raw) == LIBSSH2_ERROR_EAGAIN {
                try await waitForSocket(until: deadline, onDeadline: onDeadline)
            } else {
                throw libraryError(.channel, "the server refused to open a channel",
                                   fix: "the host may limit sessions per connection (MaxSessions in sshd_config)")
            }
        }
        note("channel opened")
        while true {
            let rc = shim_channel_exec(channel!.raw, remoteCommand)
            if rc == 0 { return (channel!, false) }
            guard LibSSH2.wouldBlock(rc) else { throw libraryError(.channel, "the server refused to run the command") }
            // Once the request is out, go on: its answer is collected with the output. Until then
            // nothing else may be sent on the session (libssh2 sends one packet at a time).
            if session.blockDirections & LIBSSH2_SESSION_BLOCK_OUTBOUND == 0 { return (channel!, true) }
            try await waitForSocket(until: deadline, onDeadline: onDeadline)
        }
    }

    /// One step towards the spare channel `prestart` asked for: its open, then its exec request.
    /// Called while a command runs; gives up for the session once the server refuses one (MaxSessions).
    private func advanceSpare(_ session: SessionHandle) {
        guard !spareRefused else { return }
        if spare == nil {
            guard prestartCommand != nil else { return }
            let opening = spareOpenBegan ?? Monotonic.now()
            guard let raw = shim_channel_open_session(session.raw) else {
                if libssh2_session_last_errno(session.raw) != LIBSSH2_ERROR_EAGAIN { spareRefused = true }
                spareOpenBegan = opening
                return
            }
            spareOpenBegan = nil
            timeOpen(since: opening)
            spare = SpareChannel(channel: ChannelHandle(raw: raw, session: session))
            note("spare channel opened")
            loop.noteProgress()
        }
        guard var ready = spare, !ready.sent, let command = ready.command ?? prestartCommand else { return }
        ready.command = command
        prestartCommand = nil
        let rc = shim_channel_exec(ready.channel.raw, command)
        if rc == 0 || (LibSSH2.wouldBlock(rc) && session.blockDirections & LIBSSH2_SESSION_BLOCK_OUTBOUND == 0) {
            ready.sent = true
            ready.accepted = rc == 0
            note("command prestarted on the spare channel")
        } else if !LibSSH2.wouldBlock(rc) {
            spare = nil
            spareRefused = true
            return
        }
        spare = ready
    }

    /// Collects the exec request's answer if it has come; true while it has not.
    private func execAnswer(_ remoteCommand: String, on channel: ChannelHandle) throws -> Bool {
        // In libssh2's "sent" state the call only looks for the answer; the request is not sent again.
        let rc = shim_channel_exec(channel.raw, remoteCommand)
        if LibSSH2.wouldBlock(rc) { return true }
        guard rc == 0 else { throw libraryError(.channel, "the server refused to run the command") }
        return false
    }

    /// The session broke mid-operation: remember that, and say so.
    func connectionLost(_ rc: Int32, _ what: String) -> SSHError {
        let error = libraryError(.disconnected, "the connection broke while \(what)", fix: "check the host and the network; the command's outcome on the host is unknown")
        fail(error)
        return error
    }
}
