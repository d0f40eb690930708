import DeployerModel
import DeployerPlanning
import Foundation

/// The artifact's uploads of one push, each started as soon as its host's
/// probe shows the host lacks it (an artifact is not live, so this precedes
/// the lock), at most `--parallel` at a time; a host's prepare waits for its own.
final class ArtifactUploads: @unchecked Sendable {
    typealias Upload = @Sendable (_ artifact: Artifact, _ host: DeployerModel.Host, _ makeStore: Bool) async -> HostFailure?

    private let artifact: Task<Artifact, any Error>
    private let upload: Upload
    private let limit: ConcurrencyLimit
    private let lock = NSLock()
    private var tasks: [String: Task<HostFailure?, Never>] = [:]

    init(artifact: Task<Artifact, any Error>, parallel: Int, upload: @escaping Upload) {
        self.artifact = artifact
        self.upload = upload
        limit = ConcurrencyLimit(permits: parallel)
    }

    /// Starts `host`'s upload once the artifact is built, unless `facts` show the host has it.
    func start(_ host: DeployerModel.Host, facts: HostFacts) {
        let task = Task { [artifact, upload, limit] () -> HostFailure? in
            guard let built = try? await artifact.value, !facts.artifacts.contains(built.digest), !Task.isCancelled
            else { return nil }
            await limit.acquire()
            let failure = Task.isCancelled ? nil : await upload(built, host, !facts.hasArtifactStore)
            await limit.release()
            return failure
        }
        lock.withLock { tasks[host.name] = task }
    }

    /// `host`'s upload outcome (nil when it needed none or it succeeded).
    func outcome(for host: String) async -> HostFailure? {
        await lock.withLock { tasks[host] }?.value
    }

    /// Stops uploads not yet begun and waits for the others (before closing connections).
    func cancelAndWait() async {
        let all = lock.withLock { Array(tasks.values) }
        for task in all { task.cancel() }
        for task in all { _ = await task.value }
    }
}
