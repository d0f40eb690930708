import DeployerModel

extension HostScripts {
    /// Turns maintenance mode on (`state` given) or off on one host, in `deploy_to`: the recipe's
    /// rendered `command`, else the flag file `shared/maintenance.on`; then writes or removes
    /// `RemoteLayout.maintenanceFile`, which says it is on (`deployer status`). Turning it off twice is harmless.
    public static func maintenance(deployTo: String, on state: MaintenanceState?, command: String?) -> ShellScript {
        var script = ShellScript(deployTo: deployTo)
        let what = state == nil ? "maintenance off" : "maintenance on"
        let log = "\"$deploy_to/.deployer/maintenance.log\""
        let flag = "\"$deploy_to/shared/\(RemoteLayout.maintenanceFlag)\""
        let file = "\"$deploy_to/\(RemoteLayout.maintenanceFile)\""
        script.append("mkdir -p \"$deploy_to/.deployer\" || fail \(ShellQuote.quote(what)) 1")
        if let command {
            script.append("( cd \"$deploy_to\" && exec \(ShellScript.commandShell) \(ShellQuote.quote(command)) ) </dev/null >\(log) 2>&1 "
                + "|| fail \(ShellQuote.quote(what)) $? \(log)")
        } else if state != nil {
            script.append("mkdir -p \"$deploy_to/shared\" && : >\(flag) || fail \(ShellQuote.quote(what)) 1")
        } else {
            script.append("rm -f \(flag) || fail \(ShellQuote.quote(what)) 1")
        }
        if let state {
            script.append("printf '%s\\n' \(ShellQuote.quote(Executor.jsonLine(state))) >\(file) || fail \(ShellQuote.quote(what)) 1")
        } else {
            script.append("rm -f \(file) || fail \(ShellQuote.quote(what)) 1")
        }
        return script
    }
}
