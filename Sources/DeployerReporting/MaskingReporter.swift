import DeployerModel

/// Hides secret values in every string of every event before another
/// reporter sees it, so that no output (terminal, plain, JSON, audit log)
/// can print a secret, even one a failing command echoed to stderr.
public struct MaskingReporter: Reporter {
    private let mask: SecretMask
    private let inner: any Reporter

    /// Wraps `inner`; `secrets` by name, as the recipe's `secrets:` resolved them.
    public init(secrets: [String: String], wrapping inner: any Reporter) {
        mask = SecretMask(secrets: secrets)
        self.inner = inner
    }

    public func report(_ event: DeployEvent) {
        inner.report(mask.isEmpty ? event : event.mappingStrings(mask.apply))
    }
}
