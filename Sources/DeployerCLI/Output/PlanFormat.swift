import ArgumentParser

/// How `deployer plan` prints its plan.
enum PlanFormat: String, ExpressibleByArgument, CaseIterable {
    /// Per host, for people.
    case text
    /// The versioned JSON of docs/plan.md.
    case json
}
