import DeployerModel

extension TaskGraph {
    /// One task and where it runs.
    public struct Node: Hashable, Sendable {
        /// Where a task runs.
        public enum Placement: Hashable, Sendable {
            /// On these hosts, in inventory order (one host for a `once` task; none when no host has its roles).
            case hosts([String])
            /// On the controller (`local: true`), once per deploy.
            case controller
        }

        /// The task as resolved.
        public var task: ResolvedTask
        /// Its hosts, or the controller.
        public var placement: Placement
        /// Tasks of the same phase that must finish first (`needs` across phases is ordered by the phases).
        public var dependencies: [String]

        /// A node from its parts.
        public init(task: ResolvedTask, placement: Placement, dependencies: [String]) {
            self.task = task; self.placement = placement; self.dependencies = dependencies
        }

        /// The hosts that run the task; empty for controller tasks.
        public var hosts: [String] {
            if case let .hosts(hosts) = placement { return hosts }
            return []
        }
    }
}
