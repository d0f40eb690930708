import Testing

/// Every suite that starts sandbox hosts nests here, so they run one after another: parallel
/// sandboxes on a two-core machine starve each other's handshakes past their timeouts.
@Suite("SSH against sandbox hosts", .serialized, .tags(.sandbox))
enum SandboxSuites {}
