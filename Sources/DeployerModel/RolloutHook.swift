/// The commands a rolling switch runs around a host's switch (`rolling.drain`, `rolling.undrain`).
public enum RolloutHook: String, Hashable, Sendable, Codable {
    case drain, undrain
}
