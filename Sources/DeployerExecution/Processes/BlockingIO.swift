import Foundation

/// Runs file work that blocks (reading, hashing and copying a large artifact) on a thread of its own,
/// so the cooperative pool's few threads keep serving the run while it takes its seconds.
public enum BlockingIO {
    public static func run<T: Sendable>(_ work: @escaping @Sendable () throws(ArtifactError) -> T) async throws(ArtifactError) -> T {
        let result: Result<T, ArtifactError> = await withCheckedContinuation { continuation in
            Thread {
                continuation.resume(returning: Result { () throws(ArtifactError) -> T in try work() })
            }.start()
        }
        return try result.get()
    }
}
