import ArgumentParser
import DeployerExecution
import DeployerLoading
import DeployerModel
import DeployerReporting
import Foundation

/// What every fleet command (push, rollback, status, releases, unlock) sets
/// up the same way: the resolved environment, SSH targets from ssh_config,
/// a reporter, and an executor wired to them.
struct FleetContext {
    var environment: ResolvedEnvironment
    var executor: Executor
    var tracker: FleetStateTracker
    /// The text of the recipe's files by path, for diagnostics that show the line they point at.
    var recipeSources: [String: String]
    /// Draws the last frame, flushes the output and notes the audit log: call once, when the command is done.
    var finish: @Sendable () -> Void

    /// Loads the recipe and resolves `environmentName` (diagnostics and exit 2 on problems).
    /// `run` shows and records the run (nil shows nothing); `batch` overrides `rolling.batch`; `limit`
    /// narrows the environment to some of its hosts. Commands that run no task (status, releases, unlock)
    /// pass `readsSecrets: false` and need no secret set.
    init(environmentName: String, recipe: RecipeDiscovery.Options, ssh: SSHOptions, lock: LockOptions? = nil,
         run: CommandRun? = nil, batch: RollingPolicy.Size? = nil, limit: LimitOptions? = nil,
         readsSecrets: Bool = true) throws {
        let (loaded, loader) = try recipe.load()
        let resolved = try RecipeDiscovery.resolve(loaded, environment: environmentName, loader: loader)
        var (environment, hostLimit) = try limit?.apply(to: resolved, of: loaded) ?? (resolved, nil)
        environment.source = FleetContext.anchored(environment.source, recipeFile: loaded.file)
        try FileDescriptorLimit.check(hosts: environment.hosts.count)
        let resolver = try SSHHostResolver(options: ssh)
        resolver.warnAboutHostKeyPolicies(for: environment.hosts.map(\.name))
        let connector = try resolver.connector(recipeChoice: environment.sshTransport, throttle: ssh.handshakeThrottle())
        let secrets = readsSecrets ? try RecipeDiscovery.secrets(of: environment, sources: loaded.sources) : [:]
        if let batch { environment.rolling.batch = batch }
        tracker = FleetStateTracker()
        let lockTTL = environment.lockTTLSeconds ?? LockLease.defaultTTLSeconds
        let options = ExecutorOptions(parallel: ssh.parallel, lockWaitSeconds: lock?.lockWait ?? 0,
                                      breakStaleLock: lock?.breakStaleLock ?? false, lockTTLSeconds: lockTTL,
                                      heartbeatSeconds: LockLease.heartbeatSeconds(ttlSeconds: lockTTL))
        var reporters: [any Reporter] = [tracker]
        if let run {
            run.open(secrets: secrets)
            run.notify(environment, secrets: secrets)
            reporters.append(run)
            finish = run.finish
        } else {
            finish = {}
        }
        executor = Executor(environment: environment, connector: connector, reporter: FanOutReporter(reporters),
                            options: options, secrets: secrets, limit: hostLimit)
        self.environment = environment
        recipeSources = loaded.sources
    }

    /// Runs `body` with Ctrl-C and SIGTERM asking the executor to stop between steps.
    func interruptible<T>(_ body: () async -> T) async -> T {
        let handler = InterruptHandler(control: executor.control, reporter: executor.reporter, tracker: tracker,
                                       finish: finish)
        defer { handler.cancel() }
        return await body()
    }

    /// A relative source path is relative to the recipe's directory, not to where deployer runs.
    static func anchored(_ source: Source, recipeFile: String) -> Source {
        let base = URL(fileURLWithPath: recipeFile).deletingLastPathComponent()
        func absolute(_ path: String) -> String {
            path.hasPrefix("/") ? path : base.appendingPathComponent(path).standardizedFileURL.path
        }
        switch source {
        case let .git(path, revision, submodules): return .git(path: absolute(path), revision: revision, submodules: submodules)
        case let .dir(path): return .dir(path: absolute(path))
        }
    }

    /// The controller's artifact cache: `$XDG_CACHE_HOME/deployer/artifacts`, else
    /// `$HOME/.cache/deployer/artifacts` (the account's home only when `HOME` is unset), bounded by
    /// `DEPLOYER_CACHE_MAX_SIZE` (bytes, or with a K/M/G suffix; default 2G) and
    /// `DEPLOYER_CACHE_MAX_ENTRIES` (default 20). A value that is not one is refused, naming the variable.
    static func artifactCache(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ArtifactCache {
        let home = environment["HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? NSHomeDirectory()
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.cache"
        var limits = ArtifactCache.Limits.standard
        if let text = environment["DEPLOYER_CACHE_MAX_SIZE"] {
            guard let bytes = byteCount(text) else {
                throw ValidationError("DEPLOYER_CACHE_MAX_SIZE='\(text)' is not a size; write bytes, or a number with K, M or G (e.g. 500M)")
            }
            limits.maxBytes = bytes
        }
        if let text = environment["DEPLOYER_CACHE_MAX_ENTRIES"] {
            guard let number = Int(text), number >= 1 else {
                throw ValidationError("DEPLOYER_CACHE_MAX_ENTRIES='\(text)' is not a number of artifacts (1 or more)")
            }
            limits.maxEntries = number
        }
        return ArtifactCache(directory: base + "/deployer/artifacts", limits: limits)
    }

    /// `text` as a number of bytes: digits, alone or followed by K, M or G (either case); nil when it is
    /// not one, or is more bytes than an Int holds.
    static func byteCount(_ text: String) -> Int? {
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30]
        let unit = text.last.flatMap { units[$0] }
        guard let number = Int(unit == nil ? text : String(text.dropLast())), number >= 0 else { return nil }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: unit ?? 1)
        return overflow ? nil : bytes
    }
}
