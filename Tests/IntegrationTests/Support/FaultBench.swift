import DeployerModel
import Foundation

/// Sandbox hosts that each carry one `HostFault` (after healthy ones, host1 first),
/// with the means to inject the faults at a phase, to undo them, and to read
/// what every host holds afterwards (docs/faults.md).
struct FaultBench: Sendable {
    let sandbox: Sandbox
    /// The faulty hosts, in order, after the healthy ones.
    let faults: [(host: String, fault: HostFault)]
    let network: NetworkCutHost?

    static let deployTo = "/srv/app"

    /// Starts `healthy` hosts (host1 first, the leader), then one host per fault; installs the hooks,
    /// makes the disk-full host's `deploy_to` a small tmpfs and puts the network-cut host behind its own
    /// link; runs `body`, then removes the namespace (the sandbox stops every sshd). deployer reaches
    /// the hosts with `transport`.
    static func with<T>(healthy: Int = 1, faults: [HostFault], transport: SSHTransportKind = .libssh2,
                        _ body: (FaultBench) async throws -> T) async throws -> T {
        try await Sandbox.with(hosts: healthy + faults.count, transport: transport) { sandbox in
            let faulty = faults.enumerated().map { (host: "host\(healthy + $0.offset + 1)", fault: $0.element) }
            for host in sandbox.hosts { try await FaultHooks.install(on: host, in: sandbox) }
            if let full = faulty.first(where: { $0.fault == .diskFull }) {
                try await sandbox.root(full.host, "mkdir -p \(deployTo) && mount -t tmpfs -o size=4m,nr_inodes=600,mode=755 tmpfs "
                    + "\(deployTo) && chown deploy: \(deployTo)")
            }
            var network: NetworkCutHost?
            if let cut = faulty.first(where: { $0.fault == .networkCut }) {
                network = try await NetworkCutHost.start(cut.host, in: sandbox)
            }
            defer { network?.remove() }
            return try await body(FaultBench(sandbox: sandbox, faults: faulty, network: network))
        }
    }

    /// Arms `phase`'s hook on every host whose fault applies there (none at connect: no hook).
    /// Returns the hosts armed.
    @discardableResult
    func arm(_ phase: FaultPhase) throws -> [(host: String, fault: HostFault)] {
        let armed = faults.filter { $0.fault.applies(at: phase) }
        guard phase != .connect else { return armed }
        for (host, fault) in armed { try armHook(phase, on: host, mode: fault == .taskTimeout ? "hang" : "wait") }
        return armed
    }

    /// Injects each armed host's fault once its hook at `phase` is reached, then lets the hook go on;
    /// at connect, injects at once. A hanging task needs nothing more.
    func injectWhenReached(_ phase: FaultPhase) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (host, fault) in faults where fault.applies(at: phase) && fault != .taskTimeout {
                group.addTask {
                    if phase != .connect { try await waitUntilReached(phase, on: host) }
                    try await inject(fault, on: host)
                    if phase != .connect { try resume(phase, on: host) }
                }
            }
            try await group.waitForAll()
        }
    }

    /// Makes `host` stop at `phase`'s hook until `resume`.
    func pause(_ phase: FaultPhase, on host: String) throws { try armHook(phase, on: host, mode: "wait") }

    func waitUntilReached(_ phase: FaultPhase, on host: String) async throws {
        try await waitFor(seconds: 60) { FileManager.default.fileExists(atPath: hookFile(host, phase, "reached")) }
    }

    func resume(_ phase: FaultPhase, on host: String) throws {
        try Data().write(to: URL(fileURLWithPath: hookFile(host, phase, "go")))
    }

    func inject(_ fault: HostFault, on host: String) async throws {
        switch fault {
        case .sshdKilled: try await sandbox.killSSHD(host)
        case .networkCut: try await network!.cut()
        case .connectionDropped: try await sandbox.dropConnections(host)
        case .diskFull:
            // Blocks first, then inodes: neither a file's data nor a new directory or link fits.
            try await sandbox.root(host, "dd if=/dev/zero of=\(Self.deployTo)/.fill bs=64k 2>/dev/null; "
                + "mkdir -p \(Self.deployTo)/.fill.d; i=0; while true 2>/dev/null >\(Self.deployTo)/.fill.d/$i; do i=$((i+1)); done; true")
        case .readOnly:
            // A read-only mount over deploy_to: files open for writing stay open, every new write is refused.
            try await sandbox.root(host, "mount --bind \(Self.deployTo) \(Self.deployTo) && mount -o remount,bind,ro \(Self.deployTo)")
        case .permissionDenied: try await sandbox.root(host, "chown -R root: \(Self.deployTo)")
        case .taskTimeout: break
        }
    }

    /// Undoes every fault (restarting killed sshds on their ports) and disarms every hook.
    func heal() async throws {
        for (host, fault) in faults {
            switch fault {
            case .sshdKilled, .connectionDropped, .taskTimeout: break
            case .networkCut: try await network!.restore()
            case .diskFull: try await sandbox.root(host, "rm -rf \(Self.deployTo)/.fill \(Self.deployTo)/.fill.d")
            case .readOnly:
                try await sandbox.root(host, "if findmnt -no OPTIONS \(Self.deployTo) | grep -q '^ro'; then umount \(Self.deployTo); fi")
            case .permissionDenied: try await sandbox.root(host, "chown -R deploy: \(Self.deployTo)")
            }
        }
        try await sandbox.restartStopped()
        try network?.pointAlias()
        try disarm()
    }

    /// Removes every hook's files (armed, reached, go) on every host.
    func disarm() throws {
        for host in sandbox.hosts {
            let directory = FaultHooks.directory(host, in: sandbox)
            for file in try FileManager.default.contentsOfDirectory(atPath: directory) where file.contains(".") {
                try FileManager.default.removeItem(atPath: directory + "/" + file)
            }
        }
    }

    private func armHook(_ phase: FaultPhase, on host: String, mode: String) throws {
        try (mode + "\n").write(toFile: hookFile(host, phase, "armed"), atomically: true, encoding: .utf8)
    }

    private func hookFile(_ host: String, _ phase: FaultPhase, _ suffix: String) -> String {
        FaultHooks.directory(host, in: sandbox) + "/" + phase.rawValue + "." + suffix
    }
}
