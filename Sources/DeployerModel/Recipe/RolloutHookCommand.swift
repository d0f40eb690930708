/// A drain or undrain hook as the recipe declares it: a command template and where it runs.
///
/// `drain: "cmd"` runs on the host being switched; `drain: { run: "cmd", on: controller }`
/// or `on: lb1` runs it elsewhere, with `{{ host }}` still the host being switched.
public struct RolloutHookCommand: Hashable, Sendable, Codable {
    public var run: Template
    public var target: HookTarget

    public init(run: Template, on target: HookTarget = .switchedHost) {
        self.run = run; self.target = target
    }
}
