import DeployerModel

extension RollbackTarget {
    /// The irreversible task runs a rollback to `target` goes past: every run any host records for a
    /// release newer than `target` (`IrreversibleRun.merged`: the union of the hosts' journals, so one
    /// host's journal lost or edited hides nothing the others keep). Newer than `target` whether or not
    /// that release is current: a push that failed after its migration ran has changed the database too.
    public static func irreversibleRuns(past target: ReleaseID, facts: [String: HostFacts]) -> [IrreversibleRun] {
        IrreversibleRun.merged(facts.values.flatMap(\.irreversible).filter { $0.release > target })
    }

    /// Why a rollback to `target` is refused without `--past-irreversible`, naming each run and the
    /// command that goes on anyway.
    public static func irreversibleRefusal(_ runs: [IrreversibleRun], target: ReleaseID, environment: String) -> Refusal {
        Refusal(message: "a rollback to \(target) goes past irreversible work:\n"
            + runs.map { "  \($0.sentence)" }.joined(separator: "\n")
            + "\nswitching the code back does not undo what \(runs.count == 1 ? "that task" : "those tasks") changed "
            + "(a database migration, say); push a fix forward, or roll back anyway with "
            + "`deployer rollback \(environment) --to \(target) --past-irreversible`")
    }
}
