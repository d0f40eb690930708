extension EnvironmentDiff {
    /// One thing that differs, e.g. the `settings` var, or the rolling batch size.
    public struct Difference: Hashable, Sendable {
        /// What part of the resolved environments differs.
        public enum Aspect: String, Hashable, Sendable {
            case hosts, roles, tasks, vars, rolling, health
        }

        /// The part that differs.
        public var aspect: Aspect
        /// The role, var or field that differs.
        public var item: String
        /// The value in the first environment, as printed.
        public var left: String
        /// The value in the second environment, as printed.
        public var right: String
        /// Expected by the recipe's design (hosts, vars, allowed role differences); otherwise drift.
        public var declared: Bool

        /// A difference from its parts.
        public init(aspect: Aspect, item: String, left: String, right: String, declared: Bool) {
            self.aspect = aspect; self.item = item; self.left = left; self.right = right; self.declared = declared
        }
    }
}
