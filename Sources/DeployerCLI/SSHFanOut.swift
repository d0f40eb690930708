import SSH

/// Connects to many hosts at once, at most `limit` at a time, runs one piece of work on each
/// connection and closes it; results come back in the targets' order.
struct SSHFanOut {
    /// Hosts in flight at once.
    let limit: Int
    /// Connections being set up at once (`--max-startups`).
    let throttle: HandshakeThrottle

    /// `work` on a fresh connection to each target; a host's failure never stops the others.
    func run<T: Sendable>(
        _ targets: [SSHTarget], _ work: @escaping @Sendable (SSHConnection) async throws -> T
    ) async -> [Result<T, any Error>] {
        await withTaskGroup(of: (Int, Result<T, any Error>).self) { group in
            var results = [Result<T, any Error>?](repeating: nil, count: targets.count)
            var next = 0
            func startNext() {
                guard next < targets.count else { return }
                let index = next
                let target = targets[index]
                next += 1
                group.addTask {
                    do {
                        let connection = try await SSHConnection.connect(to: target, throttle: throttle)
                        do {
                            let value = try await work(connection)
                            await connection.close()
                            return (index, .success(value))
                        } catch {
                            await connection.close()
                            throw error
                        }
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            for _ in 0..<min(limit, targets.count) { startNext() }
            while let (index, result) = await group.next() {
                results[index] = result
                startNext()
            }
            return results.map { $0! }
        }
    }
}
