/// What a push of an artifact made for the hosts' answers to build steps' `host_probe` (a prebuilt
/// `--artifact`, or the one `promote` ships) asks its hosts before it locks them: the steps whose probe
/// is asked again and the answer each was built for. Asked over the push's own connections, right
/// after they open, so the check costs no SSH handshake of its own; hosts that answer otherwise refuse
/// the push (exit 2) before any lock is taken or any host changes.
public struct HostProbeCheck: Sendable {
    /// The build steps as the push's environment renders them; only those with a `host_probe` are asked.
    public var steps: BuildSteps
    /// What the artifact was built for: the hosts' common answer to each step's probe, by step name.
    public var builtFor: [String: String]
    /// The refusal a push prints when hosts answer otherwise, given one phrase per difference
    /// (`ArtifactManifest.hostProbeDifferences`): it names what was offered and what to do instead.
    public var refusal: @Sendable ([String]) -> String

    public init(steps: BuildSteps, builtFor: [String: String], refusal: @escaping @Sendable ([String]) -> String) {
        self.steps = steps; self.builtFor = builtFor; self.refusal = refusal
    }
}
