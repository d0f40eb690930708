import DeployerModel

/// Build steps: tasks that run on the controller before any host is touched. `local: true` and
/// `phase: build` say the same thing (either implies the other); what contradicts it — another
/// phase, `local: false`, guards, `once` — is refused where it is written, so a recipe that
/// passes `deployer check` runs as written.
extension RecipeDecoder {
    mutating func buildStep(_ task: inout ResolvedTask, _ f: [RecipeSchema.Task: YAMLNode.Pair]) {
        let name = task.name
        let phaseWritten = f[.phase] != nil
        if task.local, !phaseWritten { task.phase = .build }
        if task.phase == .build, !task.local {
            if let local = f[.local] {
                error("task '\(name)' is in phase 'build', which runs on the controller; remove 'local: false'",
                      at: local.value.location)
            }
            task.local = true
        }
        if task.local, task.phase != .build, let phase = f[.phase] {
            error("a 'local' task is a build step: it runs on the controller before any host is touched, "
                  + "so its phase is 'build', not '\(task.phase.rawValue)'",
                  at: phase.value.location, note: "remove 'phase', or run the command on the hosts without 'local'",
                  fixIt: "build")
        }
        if task.local {
            for key in [RecipeSchema.Task.creates, .unless, .onlyIf, .check, .once, .readOnlyGuards] {
                guard let pair = f[key] else { continue }
                error("'\(key.rawValue)' has no meaning for build step '\(name)': a build runs whenever its "
                      + "artifact is not in the controller's cache; remove it", at: pair.key.location)
            }
        }
        if let pair = f[.hostProbe] {
            if task.local {
                task.hostProbe = template(pair.value)
            } else {
                error("'host_probe' is for build steps (local: true): task '\(name)' runs on the hosts, where it can "
                      + "read what it needs itself; remove it", at: pair.key.location)
            }
        }
        guard let outputs = f[.outputs] else { return }
        guard task.local else {
            error("'outputs' is for build steps (local: true): task '\(name)' runs on the hosts; remove it",
                  at: outputs.key.location)
            return
        }
        for (path, location) in names(outputs.value, what: "a list of paths in the build's export") {
            let parts = path.split(separator: "/", omittingEmptySubsequences: true)
            if path.hasPrefix("/") || parts.contains("..") || parts.isEmpty || parts.allSatisfy({ $0 == "." }) {
                error("output '\(path)' of build step '\(name)' must be a path inside the build's export, such as "
                      + "'dist' (relative, no '..'); leave 'outputs' out to ship the whole export", at: location)
            } else {
                task.outputs.append(parts.joined(separator: "/"))
            }
        }
    }
}
