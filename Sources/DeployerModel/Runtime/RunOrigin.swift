/// Who started a run and from where, recorded in locks and history so that a
/// held lock or a past deploy can be traced to a person or a CI job.
public struct RunOrigin: Hashable, Sendable, Codable {
    /// `user@controller-host`.
    public var who: String
    /// The CI job URL when the run comes from CI, else nil.
    public var ciJobURL: String?
    /// The command line, e.g. `deployer push prod -m "hotfix"`.
    public var command: String
    /// Unique per run; a lock is only ever removed by the run that holds it (or by `deployer unlock`).
    public var runID: String
    /// The operator's `-m` message.
    public var message: String?

    public init(who: String, ciJobURL: String? = nil, command: String, runID: String, message: String? = nil) {
        self.who = who; self.ciJobURL = ciJobURL; self.command = command; self.runID = runID; self.message = message
    }
}
