import ArgumentParser
import DeployerExecution
import DeployerModel
import Foundation

/// `deployer push ENV`: ship a revision to every host of an environment.
struct PushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Deploy a revision (default HEAD) to every host of an environment.",
        discussion: """
            Phases: lock every host, prepare the release everywhere (upload, extract, link shared \
            paths, build or reuse envs, prepare tasks), before_switch tasks, atomic switch of \
            `current` with after_switch tasks, then history, pruning and unlock. If anything fails \
            before the switch, no host switches. A push of what is already current changes nothing. \
            With --artifact FILE, ships a file `deployer build ENV --out FILE` wrote, as it is. \
            With --prepare-only, stops after the prepare (before_switch tasks do not run) and keeps the \
            release for `deployer switch ENV RELEASE`. \
            Exit: 0 done, 1 deploy failed (or a build step failed), 2 recipe or usage, 3 lock held, 4 hosts unreachable, 5 a saved plan (--plan) no longer matches.
            """)

    @Argument(help: "The environment, e.g. staging.", completion: .environments)
    var environment: String

    @OptionGroup var options: FleetChangeOptions

    @OptionGroup var revisionOptions: RevisionOptions

    @Flag(help: "Make a new release even when the same revision and recipe are already current.")
    var force = false

    @Flag(help: ArgumentHelp("Maintenance mode on from after prepare (before the before_switch tasks) to the finish, "
                             + "and off again on failure or Ctrl-C (the recipe's maintenance: commands, else shared/maintenance.on)."))
    var maintenance = false

    @Option(help: ArgumentHelp("Apply a plan saved by `deployer plan --out`: push its revision only if the recipe, "
                               + "the artifact and every host fact it depended on are unchanged (else exit 5).",
                               valueName: "path"))
    var plan: String?

    @Option(name: .customLong("artifact"),
            help: ArgumentHelp("Push this prebuilt artifact file (from `deployer build ENV --out FILE`) instead of building: "
                               + "refused before any host is touched when it is truncated, altered, or built from another "
                               + "revision, app or build steps.", valueName: "file"))
    var artifactFile: String?

    @Flag(help: ArgumentHelp("Lock, prepare the release on every host and keep it, switch nothing, unlock: "
                             + "`deployer switch ENV RELEASE` switches to it later (a fleet prepared by shards, "
                             + "or prepared by day and switched in a window)."))
    var prepareOnly = false

    @Option(help: ArgumentHelp("With --prepare-only: make the release under this id instead of one from the time, "
                               + "so that every shard of a fleet prepares the same release.", valueName: "release"))
    var release: String?

    func validate() throws {
        if prepareOnly && maintenance {
            throw ValidationError("--prepare-only switches nothing, so there is no maintenance window to open; "
                + "turn it on around the switch with `deployer maintenance ENV on|off`, or leave --maintenance out")
        }
        if prepareOnly && options.rolling.batch != nil {
            throw ValidationError("--prepare-only switches nothing, so --batch would change nothing; "
                + "give --batch to `deployer switch ENV RELEASE`, which switches in batches")
        }
        if let release {
            guard prepareOnly else {
                throw ValidationError("--release names the release --prepare-only makes; a push that switches chooses its own id")
            }
            guard ReleaseID.isValid(release) else {
                throw ValidationError("'\(release)' is not a release id (like 20261129T034500Z-3f2a9c1)")
            }
        }
        if plan != nil && artifactFile != nil {
            throw ValidationError("--plan pushes the artifact the saved plan was made for; it cannot be combined with --artifact")
        }
        if plan != nil && (force || revisionOptions.revision != nil) {
            throw ValidationError("--plan pushes the revision and the decisions of the saved plan; "
                + "it cannot be combined with --force or --revision")
        }
    }

    func run() async throws {
        try await CommandRun.perform(.push, environment: environment, options: options.output) { run in
            let context = try options.context(environment: environment, run: run)
            let environment = context.environment
            let builder = ArtifactBuilder(cache: try FleetContext.artifactCache())
            let saved = try plan.map(PlanMaker.load)
            let commit = try await revisionOptions.resolve(environment, revision: saved?.revision, allowDirty: saved != nil)
            let source = environment.source
            let envs = environment.dependencyEnvs
            let artifact: Task<Artifact, any Error>
            var hostProbeCheck: HostProbeCheck?
            if let saved {
                let checked = try await PlanMaker(context: context).verify(saved, commit: commit)
                artifact = Task { checked }
            } else if let artifactFile {
                let prebuilt = try await PrebuiltArtifact.load(artifactFile, context: context, commit: commit, builder: builder)
                artifact = Task { prebuilt.artifact }
                hostProbeCheck = prebuilt.hostProbeCheck
            } else {
                artifact = Task { try await builder.build(source: source, commit: commit, envs: envs) }
            }
            var request = PushRequest(revision: commit, artifact: artifact, force: force,
                                      origin: .current(message: options.lock.message, runID: run.runID),
                                      unixTime: saved?.unixTime ?? Int(Date().timeIntervalSince1970), plan: saved,
                                      buildCache: artifactFile == nil ? builder.cache : nil)
            request.hostProbeCheck = hostProbeCheck
            request.maintenance = maintenance
            request.prepareOnly = prepareOnly
            request.release = release.map(ReleaseID.init(rawValue:))
            let summary = await context.interruptible { await context.executor.push(request) }
            throw summary.result.exitCode
        }
    }
}
