/// What to do with a server host key that is not in known_hosts (OpenSSH's `StrictHostKeyChecking`).
///
/// `strict` refuses unknown and changed keys; `acceptNew` records unknown keys but still refuses
/// changed ones; `off` accepts anything (changed keys are still reported).
public enum HostKeyPolicy: String, Sendable {
    /// `StrictHostKeyChecking yes`: unknown keys are refused.
    case strict
    /// `StrictHostKeyChecking accept-new`: unknown keys are recorded, changed keys refused.
    case acceptNew = "accept-new"
    /// `StrictHostKeyChecking no` (or `off`): no host key checking.
    case off
}
