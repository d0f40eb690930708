import DeployerModel

extension HostScripts {
    /// Turns maintenance mode on (`state` given) or off on one host, in `deploy_to`: the recipe's
    /// rendered `command`, else the flag file `shared/maintenance.on`; then writes or removes
    /// `RemoteLayout.maintenanceFile`, which says it is on (`deployer status`). Turning it off twice is
    /// harmless (`Scripts/maintenance.sh`).
    public static func maintenance(deployTo: String, on state: MaintenanceState?, command: String?) -> ShellScript {
        var script = ShellScript(deployTo: deployTo)
        script.append(template: HostScriptTemplate.maintenance, values: [
            "maintenance_step": state == nil ? "maintenance off" : "maintenance on",
            "uses_command": command == nil ? "0" : "1", "maintenance_command": command ?? "",
            "maintenance_state": state.map { Executor.jsonLine($0) } ?? "",
        ])
        return script
    }
}
