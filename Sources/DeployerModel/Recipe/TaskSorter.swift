/// Orders tasks for execution: by phase, then topologically by `needs` within
/// a phase, ties broken by declaration order, so the same recipe always gives
/// the same order. Shared by the loader (which reports cycles with their
/// locations) and the planner.
public enum TaskSorter {
    /// A `needs` cycle, as the path that closes it: `["a", "b", "a"]`.
    public struct Cycle: Hashable, Sendable, CustomStringConvertible {
        /// Task names along the cycle, the first repeated at the end.
        public var path: [String]
        /// `a -> b -> a`.
        public var description: String { path.joined(separator: " -> ") }
    }

    /// `tasks` (in declaration order) sorted for execution, plus every cycle
    /// found. Tasks on a cycle are appended after the others in declaration
    /// order, so a caller that reports the cycles still gets every task once.
    /// Edges to tasks of other phases or to unknown names are ignored here.
    public static func sort(_ tasks: [ResolvedTask]) -> (tasks: [ResolvedTask], cycles: [Cycle]) {
        var sorted: [ResolvedTask] = []
        var cycles: [Cycle] = []
        for phase in Phase.allCases {
            let group = tasks.filter { $0.phase == phase }
            let result = sortPhase(group)
            sorted += result.tasks
            cycles += result.cycles
        }
        return (sorted, cycles)
    }

    private static func sortPhase(_ tasks: [ResolvedTask]) -> (tasks: [ResolvedTask], cycles: [Cycle]) {
        var index: [String: Int] = [:]
        for (i, task) in tasks.enumerated() where index[task.name] == nil { index[task.name] = i }
        let edges: [[Int]] = tasks.map { task in
            var seen = Set<Int>()
            return task.needs.compactMap { index[$0] }.filter { seen.insert($0).inserted }
        }
        // Kahn's algorithm, always taking the ready task declared first.
        var waiting = edges.map(\.count)
        var dependents = Array(repeating: [Int](), count: tasks.count)
        for (i, needs) in edges.enumerated() { for n in needs { dependents[n].append(i) } }
        var ready = MinimumSet((0..<tasks.count).filter { waiting[$0] == 0 })
        var order: [Int] = []
        while let next = ready.popFirst() {
            order.append(next)
            for d in dependents[next] {
                waiting[d] -= 1
                if waiting[d] == 0 { ready.insert(d) }
            }
        }
        guard order.count < tasks.count else { return (order.map { tasks[$0] }, []) }
        let placed = Set(order)
        let stuck = (0..<tasks.count).filter { !placed.contains($0) }
        return (order.map { tasks[$0] } + stuck.map { tasks[$0] }, findCycles(tasks, edges, among: Set(stuck)))
    }

    /// Depth-first search over the stuck tasks; each back edge closes one cycle,
    /// reported once (rotated to start at its first-declared task).
    private static func findCycles(_ tasks: [ResolvedTask], _ edges: [[Int]], among stuck: Set<Int>) -> [Cycle] {
        var state = Array(repeating: 0, count: tasks.count) // 0 new, 1 on stack, 2 done
        var stack: [Int] = []
        var found: [[Int]] = []
        func visit(_ node: Int) {
            state[node] = 1
            stack.append(node)
            for next in edges[node] where stuck.contains(next) {
                if state[next] == 1, let start = stack.lastIndex(of: next) {
                    var loop = Array(stack[start...])
                    let first = loop.indices.min { loop[$0] < loop[$1] }!
                    loop = Array(loop[first...] + loop[..<first])
                    if !found.contains(loop) { found.append(loop) }
                } else if state[next] == 0 {
                    visit(next)
                }
            }
            stack.removeLast()
            state[node] = 2
        }
        for node in stuck.sorted() where state[node] == 0 { visit(node) }
        return found.sorted { $0.lexicographicallyPrecedes($1) }
            .map { Cycle(path: ($0 + [$0[0]]).map { tasks[$0].name }) }
    }

    /// The ready set of Kahn's algorithm: small, so a sorted array is enough.
    private struct MinimumSet {
        private var items: [Int]
        init(_ items: [Int]) { self.items = items.sorted(by: >) }
        mutating func insert(_ item: Int) {
            let at = items.firstIndex { $0 < item } ?? items.endIndex
            items.insert(item, at: at)
        }
        mutating func popFirst() -> Int? { items.popLast() }
    }
}
