extension EnvironmentDiff {
    /// One thing that differs, e.g. the `settings` var, or the rolling batch size.
    public struct Difference: Hashable, Sendable {
        public enum Aspect: String, Hashable, Sendable {
            case hosts, roles, tasks, vars, rolling, health
        }

        public var aspect: Aspect
        /// The role, var or field that differs.
        public var item: String
        public var left: String
        public var right: String
        /// Expected by the recipe's design (hosts, vars, allowed role differences); otherwise drift.
        public var declared: Bool

        public init(aspect: Aspect, item: String, left: String, right: String, declared: Bool) {
            self.aspect = aspect; self.item = item; self.left = left; self.right = right; self.declared = declared
        }
    }
}
