/// When a task runs during a push or a rollback (see DESIGN.md, "A push, in phases").
public enum Phase: String, CaseIterable, Hashable, Sendable, Codable, Comparable {
    /// On the controller, before any host is touched: the steps that make the artifact (`local: true`).
    case build
    case prepare
    case beforeSwitch = "before_switch"
    case afterSwitch = "after_switch"
    /// After every host of the push has switched and passed its health check (after the last batch):
    /// contract migrations, cache purges. A push that did not switch every host never runs it.
    case afterFleet = "after_fleet"
    case afterRollback = "after_rollback"
    /// Runs on the hosts when a push fails in prepare, before_switch or the switch (not on the controller).
    case onFailure = "on_failure"

    private var order: Int { Phase.allCases.firstIndex(of: self)! }
    public static func < (lhs: Phase, rhs: Phase) -> Bool { lhs.order < rhs.order }
}
