import DeployerModel
import DeployerReporting

extension ResultTable.Cell {
    /// Irreversible task runs: in JSON an array of `{task, release, at}`, as text "TASK at TIME", `-` when none.
    static func irreversible(_ runs: [IrreversibleRun]) -> ResultTable.Cell {
        ResultTable.Cell(.array(runs.map(json)),
                         text: runs.isEmpty ? "-" : runs.map { "\($0.task) at \($0.at)" }.joined(separator: ", "))
    }

    /// One irreversible task run (`{task, release, at}` or null), as text "TASK (RELEASE) at TIME".
    static func irreversible(_ run: IrreversibleRun?) -> ResultTable.Cell {
        ResultTable.Cell(run.map(json) ?? .null, text: run.map { "\($0.task) (\($0.release)) at \($0.at)" } ?? "-")
    }

    private static func json(_ run: IrreversibleRun) -> JSONValue {
        .object([.init("task", .string(run.task)), .init("release", .string(run.release.rawValue)), .init("at", .string(run.at))])
    }
}
