import DeployerModel

/// The tasks of one resolved environment as a graph: phases in order, within
/// a phase a DAG by `needs` in a deterministic order, and for each task the
/// hosts that run it (`once` tasks on the first host of their roles in
/// inventory order; `local` tasks on the controller).
///
/// The resolver has already sorted the tasks and the loader has rejected
/// cycles, so building a graph cannot fail.
public struct TaskGraph: Hashable, Sendable {
    /// The environment's name.
    public var environment: String
    /// Hosts in inventory order.
    public var hosts: [FleetHost]
    /// Every task in execution order (by phase, then topologically).
    public var nodes: [Node]

    /// The graph of a resolved environment.
    public init(_ environment: ResolvedEnvironment) {
        self.environment = environment.name
        self.hosts = environment.hosts
        let sorted = TaskSorter.sort(environment.tasks).tasks
        let phaseOf = Dictionary(sorted.map { ($0.name, $0.phase) }, uniquingKeysWith: { first, _ in first })
        nodes = sorted.map { task in
            let placement: Node.Placement
            if task.local {
                placement = .controller
            } else {
                let roles = Set(task.roles)
                let eligible = environment.hosts.filter { roles.isEmpty || $0.roles.contains(where: roles.contains) }.map(\.name)
                placement = .hosts(task.once ? Array(eligible.prefix(1)) : eligible)
            }
            return Node(task: task, placement: placement, dependencies: task.needs.filter { phaseOf[$0] == task.phase })
        }
    }

    /// The phases that have tasks, in order.
    public var phases: [Phase] { Phase.allCases.filter { phase in nodes.contains { $0.task.phase == phase } } }

    /// The tasks of `phase`, in execution order.
    public func nodes(in phase: Phase) -> [Node] { nodes.filter { $0.task.phase == phase } }

    /// The tasks `host` runs, in execution order (controller-side tasks excluded).
    public func tasks(on host: String) -> [ResolvedTask] {
        nodes.filter { $0.hosts.contains(host) }.map(\.task)
    }

    /// The tasks of `phase` that `host` runs, in execution order: where the planner and the
    /// executor both take a host's tasks from, so placement is decided in this one place.
    public func tasks(on host: String, in phase: Phase) -> [ResolvedTask] {
        nodes.filter { $0.task.phase == phase && $0.hosts.contains(host) }.map(\.task)
    }

    /// The phases a push runs tasks in, in order.
    public static let pushPhases: [Phase] = [.prepare, .beforeSwitch, .afterSwitch, .afterFleet]
}
