import DeployerModel

/// How the switch step went on one host: whether `current` moved, and what failed (switch or a task after it).
struct SwitchOutcome: Sendable {
    var switched: Bool
    var failure: HostFailure?
    /// The drain hook ran and the undrain hook did not: the host is still out of the load balancer.
    var drained: Bool
}
