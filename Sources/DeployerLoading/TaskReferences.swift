import DeployerModel

/// Where a task names roles and other tasks, for the cross-reference checks.
struct TaskReferences: Sendable {
    var roles: [(name: String, location: SourceLocation)] = []
    var needs: [(name: String, location: SourceLocation)] = []
    var onceLocation: SourceLocation?
}
