@testable import DeployerExecution
import DeployerModel
import DeployerPlanning
import Testing

/// The controller's deadlines per step (docs/recipe-reference.md, "Deadlines") and the watch that
/// lets the heartbeat tell a run that gets on from a stuck one.
@Suite struct StepDeadlineTests {
    @Test func stepsWithoutRecipeCommandsGetTheFixedAllowance() {
        #expect(StepDeadline.fixed(.lock).seconds == 30)
        #expect(StepDeadline.fixed(.probe).seconds == 30)
        #expect(StepDeadline.fixed(.unlock).seconds == 30)
        #expect(StepDeadline.fixed(.finish).seconds == 120, "finish prunes releases")
    }

    @Test func aTimedCommandAddsItsTimeoutAndGraceAnUntimedOneHalfAnHour() {
        #expect(StepDeadline.commands([2]).seconds == 30 + 2 + 5)
        #expect(StepDeadline.commands([2, nil]).seconds == 30 + 7 + 1800)
        #expect(StepDeadline.commands([]).seconds == 30)
    }

    @Test func prepareAddsTheArtifactsSizeAndTheEnvBuilds() throws {
        let build = HostScripts.EnvBuild(key: EnvKey(name: "venv", hash: "abc"), build: "make", timeoutSeconds: 60)
        let task = ScriptTask(name: "migrate", command: "migrate", timeoutSeconds: 10)
        let deadline = StepDeadline.prepare(artifactBytes: 10 << 20, envs: [build], tasks: [task])
        #expect(deadline.seconds == 30 + 65 + 15 + 20)
        #expect(deadline.description == "2 min 10 s")
    }

    @Test func aRolloutCountsItsHooksTasksAndEveryHealthAttempt() {
        let health = RenderedHealthCheck(probe: .command("true"), attempts: 3, intervalSeconds: 2, timeoutSeconds: 4,
                                         graceSeconds: 1)
        let script = RolloutScript(release: nil, kind: .push, runID: "r", drain: nil,
                                   tasks: [(phase: .afterSwitch, tasks: [ScriptTask(name: "restart", command: "x", timeoutSeconds: 5)])],
                                   health: health, undrain: nil)
        #expect(StepDeadline.rollout(script).seconds == 30 + 10 + 1 + 3 * (4 + 2 + 5))
    }

    @Test func aStepPastItsDeadlineOrALongIdleIsAStall() {
        let start = ContinuousClock.now
        let watch = StepWatch(idleLimit: .seconds(30), now: start)
        #expect(watch.stall(at: start + .seconds(29)) == nil)
        #expect(watch.stall(at: start + .seconds(31)) == "no step has run for 31 s")
        let prepare = watch.begin("prepare on web1", deadline: StepDeadline(seconds: 60), now: start + .seconds(40))
        #expect(watch.stall(at: start + .seconds(99)) == nil, "a step within its deadline is getting on, however long")
        #expect(watch.stall(at: start + .seconds(101)) == "prepare on web1 is past its deadline")
        watch.end(prepare, now: start + .seconds(102))
        #expect(watch.stall(at: start + .seconds(120)) == nil)
    }
}
