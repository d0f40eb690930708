import DeployerModel

extension HostScripts {
    /// Like OpenSSH's StrictModes, for the directories deployer writes through: `deploy_to`,
    /// `.deployer/` and `releases/` must each be a directory owned by the login user or root and
    /// writable by no one else, else the host fails before anything changes, naming the path, its
    /// owner and mode, and the fix. Another user who can write there could swap a release (and
    /// have `rollback` run their script as the deploy user) or plant links that redirect
    /// deployer's writes.
    ///
    /// deployer makes no symbolic link inside `.deployer/`, so one there (or in `artifacts/` or
    /// `logs/`) fails the host instead of being written through; `lock` itself is left to the lock
    /// script, which never follows it (a lock that is not a plain directory is a malformed lock).
    ///
    /// Costs one `stat` for the paths that exist (ownership by the shell's `-O`); missing ones are
    /// made by the lock script, writable by their owner only.
    static func strictModes() -> [String] {
        let stranger = "if you did not make it, remove it (rm $p) and find out who did"
        return [
            "for p in \"$D/.deployer\" \"$D/releases\"; do",
            "  [ -L \"$p\" ] && fail \"$p is a symbolic link, which deployer never makes: writes there would land elsewhere; \(stranger)\" 1",
            "done",
            "set --; for p in \"$D\" \"$D/.deployer\" \"$D/releases\"; do [ -e \"$p\" ] && set -- \"$@\" \"$p\"; done",
            "if [ $# -gt 0 ]; then",
            "  s=$(stat -L -c '%u/%a/%U' \"$@\") || fail \"cannot read the owner and mode of $*\" 1",
            "  for l in $s; do",
            "    p=$1; shift; uid=${l%%/*}; l=${l#*/}; mode=${l%%/*}; owner=${l#*/}",
            "    [ -d \"$p\" ] || fail \"$p is not a directory (mode $mode, owner $owner); move it away\" 1",
            "    [ \"$uid\" = 0 ] || [ -O \"$p\" ] || fail \"$p is owned by $owner, not by the login user $(id -un) (mode $mode): "
                + "$owner could swap releases or plant links deployer would write through; as root: chown $(id -un) $p\" 1",
            "    [ $(( 0$mode & 022 )) = 0 ] || fail \"$p is group- or world-writable (mode $mode, owner $owner): "
                + "other users could swap releases or plant links deployer would write through; run: chmod go-w $p\" 1",
            "  done",
            "fi",
            "for p in \"$D/.deployer/\"* \"$D/.deployer/\".[!.]* \"$D/.deployer/artifacts/\"* \"$D/.deployer/logs/\"*; do",
            "  [ \"$p\" != \"$D/.deployer/lock\" ] && [ -L \"$p\" ] && fail \"$p is a symbolic link, which deployer never makes "
                + "inside .deployer: it would write through it; \(stranger)\" 1",
            "done",
        ]
    }
}
