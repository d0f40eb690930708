import DeployerModel

extension ResolvedTask {
    /// The phases whose tasks make or repair a release rather than act on the one a host runs:
    /// `deployer task` refuses them, saying why and what to do instead.
    static let phasesNotRunOnDemand: [Phase: String] = [
        .build: "is a build step (local: true): it runs on the controller, in an export of the revision, to make the "
            + "artifact, not on a host against its current release; a push runs it",
        .prepare: "is a prepare task: it makes a new release before it goes live, and running it in the release a host "
            + "serves would change that release under the running app; push again (`deployer push ENV --force` makes a "
            + "new release of the same revision) to run it",
        .onFailure: "is an on_failure task: it runs when a push fails, with the failed phase, host and reason in its "
            + "environment, which a run on demand does not have",
    ]

    /// Whether `deployer task` runs this task (see `phasesNotRunOnDemand`).
    public var runsOnDemand: Bool { Self.phasesNotRunOnDemand[phase] == nil }
}
