/// The commands a rolling switch runs around a host's switch (`rolling.drain`, `rolling.undrain`).
public enum RolloutHook: String, Hashable, Sendable, Codable {
    case drain, undrain

    /// `drain hook`, or `drain hook on controller` when it does not run on the host
    /// being switched: how outputs and failures name it.
    public func name(on target: HookTarget) -> String {
        target == .switchedHost ? "\(rawValue) hook" : "\(rawValue) hook on \(target)"
    }
}
