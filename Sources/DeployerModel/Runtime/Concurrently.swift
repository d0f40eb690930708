/// `body` for each of `items`, at most `limit` at a time (at least one), each starting as soon as an earlier one ends;
/// the results in the order of `items`. The one bounded fan-out of the controller: the hosts of a step, doctor's
/// checks, the connections a run closes.
public func concurrently<Item: Sendable, Output: Sendable>(
    _ items: [Item], atMost limit: Int, _ body: @escaping @Sendable (Item) async -> Output
) async -> [Output] {
    await withTaskGroup(of: (Int, Output).self) { group in
        var results = [Output?](repeating: nil, count: items.count)
        var waiting = items.enumerated().makeIterator()
        func startNext() {
            guard let (index, item) = waiting.next() else { return }
            group.addTask { (index, await body(item)) }
        }
        for _ in 0..<min(max(limit, 1), items.count) { startNext() }
        while let (index, output) = await group.next() {
            results[index] = output
            startNext()
        }
        return results.map { $0! }
    }
}
