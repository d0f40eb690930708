/// A run of an `irreversible: true` task for a release: one line of a host's
/// `.deployer/irreversible.jsonl`. A rollback to a release older than `release`
/// is refused while such a record exists (`rollback --past-irreversible` goes on).
///
/// The task's host appends the line as the command starts (a task that started may have changed what
/// it cannot undo, even if it then failed); the push's finish step appends it on every host of the run,
/// so one host's journal lost or edited does not hide it.
public struct IrreversibleRun: Hashable, Sendable, Codable {
    public var release: ReleaseID
    public var task: String
    /// ISO 8601 UTC: when the command started (the host's clock), or when the controller saw it start.
    public var at: String

    public init(release: ReleaseID, task: String, at: String) {
        self.release = release; self.task = task; self.at = at
    }

    private enum CodingKeys: String, CodingKey { case release, task, at }

    /// The journal's shape, written by a host's shell as well: the release as a plain string.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let release = try container.decode(String.self, forKey: .release)
        guard ReleaseID.isValid(release) else {
            throw DecodingError.dataCorruptedError(forKey: .release, in: container, debugDescription: "not a release id")
        }
        self.init(release: ReleaseID(rawValue: release), task: try container.decode(String.self, forKey: .task),
                  at: try container.decode(String.self, forKey: .at))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(release.rawValue, forKey: .release)
        try container.encode(task, forKey: .task)
        try container.encode(at, forKey: .at)
    }

    /// "task 'migrate' ran for release R at T".
    public var sentence: String { "task '\(task)' ran for release \(release) at \(at)" }

    /// One record per release and task, the earliest time kept, newest release first: the union of
    /// what several hosts' journals say.
    public static func merged<S: Sequence>(_ runs: S) -> [IrreversibleRun] where S.Element == IrreversibleRun {
        var earliest: [String: IrreversibleRun] = [:]
        for run in runs {
            let key = run.release.rawValue + "\u{0}" + run.task
            if let known = earliest[key], known.at <= run.at { continue }
            earliest[key] = run
        }
        return earliest.values.sorted { ($0.release, $1.task) > ($1.release, $0.task) }
    }
}
