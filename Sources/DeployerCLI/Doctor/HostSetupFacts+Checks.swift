import DeployerReporting

extension HostSetupFacts {
    /// Below this much free space where releases go, a push is likely to fail mid-extract.
    static let minimumFreeKiB = 100 * 1024
    /// Clock skew that is worth a warning, and that is a problem: the lock lease's staleness
    /// (its TTL, 300 s by default) is judged by the clock of the host that holds it.
    static let skewWarningSeconds = 5
    static let skewProblemSeconds = 60

    /// The `deploy_to`, `disk`, `tools` and `clock` lines for `host`. `controllerNow` is the
    /// controller's clock halfway through the command that read the facts; `shell` names the
    /// recipe's shell in the tools line (its PATH is the one searched).
    func checks(host: String, deployTo: String, programs: [String], shell: String, controllerNow: Double) -> [DoctorCheck] {
        [deployToCheck(host: host, deployTo: deployTo), diskCheck(host: host),
         toolsCheck(host: host, programs: programs, shell: shell), clockCheck(host: host, controllerNow: controllerNow)]
    }

    func deployToCheck(host: String, deployTo: String) -> DoctorCheck {
        let name = "deploy_to"
        guard let owner, let mode else {
            if existingWritable {
                return .ok(host, name, "\(deployTo) does not exist yet; the first push creates it (\(existing) is writable by \(user))")
            }
            return .problem(host, name, "\(deployTo) does not exist and \(user) cannot create it (\(existing) is not writable by \(user))",
                            fix: "as root on the host: install -d -o \(user) -m 755 \(deployTo)")
        }
        let octal = String(mode, radix: 8)
        guard isDirectory else {
            return .problem(host, name, "\(deployTo) exists but is not a directory", fix: "move it away, or set deploy_to to a directory")
        }
        if mode & 0o022 != 0 {
            return .problem(host, name, "\(deployTo) is \(mode & 0o002 != 0 ? "world" : "group")-writable (mode \(octal), owner \(owner)): other users on the host can replace releases or current",
                            fix: "chmod go-w \(deployTo)")
        }
        if owner != user {
            return .problem(host, name, "\(deployTo) is owned by \(owner), not by \(user) who deploys (mode \(octal))",
                            fix: "as root on the host: chown -R \(user) \(deployTo)")
        }
        return .ok(host, name, "\(deployTo) is a directory owned by \(user), mode \(octal)")
    }

    func diskCheck(host: String) -> DoctorCheck {
        guard let freeKiB, let totalKiB else {
            return .warning(host, "disk", "df printed nothing for \(existing)", fix: "check that df(1) works on the host")
        }
        let free = HumanUnits.bytes(freeKiB * 1024)
        let total = HumanUnits.bytes(totalKiB * 1024)
        if freeKiB < Self.minimumFreeKiB {
            return .problem(host, "disk", "only \(free) free of \(total) on \(mountPoint): a push needs room for the artifact, a release and its envs",
                            fix: "free space on \(mountPoint), or lower keep_releases so older releases are pruned")
        }
        return .ok(host, "disk", "\(free) free of \(total) on \(mountPoint)")
    }

    func toolsCheck(host: String, programs: [String], shell: String) -> DoctorCheck {
        if !missing.isEmpty {
            return .problem(host, "tools", "not found on the PATH of the recipe's shell (\(shell)): \(missing.joined(separator: ", "))",
                            fix: "install them on the host, or use shell: login if a profile puts them on PATH")
        }
        return .ok(host, "tools", "found: \(programs.joined(separator: ", "))")
    }

    func clockCheck(host: String, controllerNow: Double) -> DoctorCheck {
        guard let now else {
            return .warning(host, "clock", "date +%s printed no time", fix: "check that date(1) works on the host")
        }
        let skew = Int((Double(now) - controllerNow).rounded())
        let said = skew == 0 ? "same second as the controller"
            : "\(abs(skew)) s \(skew > 0 ? "ahead of" : "behind") the controller"
        let fix = "synchronise the host's clock (timedatectl set-ntp true, or chrony)"
        if abs(skew) > Self.skewProblemSeconds {
            return .problem(host, "clock", "\(said): lock leases are judged stale by the clock of the host that holds them", fix: fix)
        }
        if abs(skew) > Self.skewWarningSeconds { return .warning(host, "clock", said, fix: fix) }
        return .ok(host, "clock", said)
    }
}
