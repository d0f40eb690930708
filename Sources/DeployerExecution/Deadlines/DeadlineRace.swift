import Synchronization

/// Runs a piece of work against a deadline on the controller, without blocking a thread: whichever
/// comes first, the work's end or the deadline, decides, and the other is cancelled.
///
/// At the deadline the caller gets its error at once, even from work that does not stop when
/// cancelled (a local process, a transport that waits on something else): a step must not hold the
/// run past its deadline because its transport is slow to give up.
public final class DeadlineRace<T: Sendable>: Sendable {
    private struct Racers {
        var continuation: CheckedContinuation<Result<T, TransportError>, Never>?
        var tasks: [Task<Void, Never>] = []
    }

    private let racers = Mutex(Racers())

    private init() {}

    /// `body`'s result, or `onTimeout()` once `seconds` have passed (`body` is then cancelled).
    public static func run(seconds: Double, onTimeout: @escaping @Sendable () -> TransportError,
                    _ body: @escaping @Sendable () async throws(TransportError) -> T) async throws(TransportError) -> T {
        let race = DeadlineRace()
        let result = await withCheckedContinuation { continuation in
            race.racers.withLock { $0.continuation = continuation }
            let work = Task {
                do throws(TransportError) { race.finish(.success(try await body())) } catch { race.finish(.failure(error)) }
            }
            let timer = Task {
                try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
                if !Task.isCancelled { race.finish(.failure(onTimeout())) }
            }
            race.keep([work, timer])
        }
        return try result.get()
    }

    /// Keeps the racing tasks, to cancel them when one wins; cancels them at once when one has won already.
    private func keep(_ racing: [Task<Void, Never>]) {
        let decided = racers.withLock {
            $0.tasks = racing
            return $0.continuation == nil
        }
        if decided { racing.forEach { $0.cancel() } }
    }

    /// The first result decides; later ones are dropped.
    private func finish(_ result: Result<T, TransportError>) {
        let (waiting, racing) = racers.withLock { racers in
            defer { racers.continuation = nil }
            return (racers.continuation, racers.tasks)
        }
        guard let waiting else { return }
        racing.forEach { $0.cancel() }
        waiting.resume(returning: result)
    }
}
