import DeployerModel

/// What `deployer doctor` reads on a host in one read-only command: the login user, the state of
/// `deploy_to` (or of the nearest directory that exists above it), free space there, which of
/// the recipe's programs are missing from PATH, and the host's clock.
struct HostSetupFacts: Equatable {
    /// `id -un`.
    var user = ""
    /// `deploy_to`'s owner and mode (octal), nil when it does not exist.
    var owner: String?
    var mode: Int?
    var isDirectory = false
    /// The nearest existing directory at or above `deploy_to`, and whether the user can write it.
    var existing = ""
    var existingWritable = false
    /// Free and total KiB on the file system of `existing`, and where it is mounted.
    var freeKiB: Int?
    var totalKiB: Int?
    var mountPoint = ""
    /// Programs `command -v` did not find.
    var missing: [String] = []
    /// The host's clock, seconds since the epoch.
    var now: Int?

    /// The read-only script that prints the facts, one `key value` line each.
    static func script(deployTo: String, programs: [String]) -> String {
        """
        d=\(ShellQuote.quote(deployTo))
        echo "user $(id -un)"
        echo "now $(date +%s)"
        if [ -e "$d" ]; then
          echo "stat $(stat -c '%U %a' "$d")"
          [ -d "$d" ] && echo directory
        fi
        p=$d
        while [ ! -e "$p" ]; do p=$(dirname "$p"); done
        echo "existing $p"
        [ -w "$p" ] && echo existing_writable
        df -Pk "$p" | awk 'NR == 2 { print "df " $2 " " $4 " " $6 }'
        for t in \(programs.map(ShellQuote.quote).joined(separator: " ")); do
          command -v "$t" >/dev/null 2>&1 || echo "missing $t"
        done
        true
        """
    }

    /// Reads the script's output; unknown lines are ignored (a profile that prints).
    init(output: String) {
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            let value = parts.count > 1 ? parts[1] : ""
            switch parts.first ?? "" {
            case "user": user = value
            case "now": now = Int(value)
            case "stat":
                let fields = value.split(separator: " ")
                owner = fields.first.map(String.init)
                mode = fields.count > 1 ? Int(fields[1], radix: 8) : nil
            case "directory": isDirectory = true
            case "existing": existing = value
            case "existing_writable": existingWritable = true
            case "df":
                let fields = value.split(separator: " ", maxSplits: 2).map(String.init)
                guard fields.count == 3 else { continue }
                totalKiB = Int(fields[0])
                freeKiB = Int(fields[1])
                mountPoint = fields[2]
            case "missing": missing.append(value)
            default: continue
            }
        }
    }

    init() {}
}
