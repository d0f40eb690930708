import DeployerModel
import Testing

@Suite struct TaskSorterTests {
    func task(_ name: String, _ phase: Phase = .prepare, needs: [String] = []) -> ResolvedTask {
        ResolvedTask(name: name, phase: phase, needs: needs, run: Template(literal: "true"))
    }

    @Test func sortsByPhaseThenNeedsThenDeclarationOrder() {
        let tasks = [
            task("restart", .afterSwitch),
            task("c", needs: ["b"]),
            task("a"),
            task("b"),
            task("migrate", .beforeSwitch, needs: ["a"]),
            task("notify", .afterRollback),
        ]
        let (sorted, cycles) = TaskSorter.sort(tasks)
        #expect(sorted.map(\.name) == ["a", "b", "c", "migrate", "restart", "notify"])
        #expect(cycles.isEmpty)
    }

    @Test func reportsEachCycleOnceWithItsWholePath() {
        let tasks = [task("x"), task("deps", needs: ["migrate"]), task("migrate", needs: ["deps"]), task("self", needs: ["self"])]
        let (sorted, cycles) = TaskSorter.sort(tasks)
        #expect(cycles.map(\.description) == ["deps -> migrate -> deps", "self -> self"])
        #expect(sorted.map(\.name) == ["x", "deps", "migrate", "self"])
    }
}
