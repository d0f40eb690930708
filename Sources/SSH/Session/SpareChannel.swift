/// A channel opened ahead of the command that will use it, with that command's exec request
/// sent once `command` is set and `sent` (see `SSHSession.prestart`).
///
/// Not Sendable: confined to its session's actor, like `ChannelHandle`.
struct SpareChannel {
    let channel: ChannelHandle
    /// The remote command requested on the channel; nil until its exec request is begun.
    var command: String?
    /// The whole exec request is on its way (libssh2 waits only for the answer).
    var sent = false
    /// The server accepted the request (its answer came while the spare was being prepared).
    var accepted = false

    /// Whether `run` of `remoteCommand` can use this channel: a plain open channel, or one whose
    /// exec request for exactly that command is out.
    func serves(_ remoteCommand: String) -> Bool {
        command == nil || (command == remoteCommand && sent)
    }
}
