import CLibSSH2

/// Process-wide libssh2 initialisation (`libssh2_init` must run once before any session).
enum LibSSH2 {
    private static let initialised: Bool = libssh2_init(0) == 0

    /// Initialises libssh2 on first use; returns whether it succeeded.
    static func ensureInitialised() -> Bool { initialised }

    /// True for libssh2's "would block" result.
    static func wouldBlock<T: BinaryInteger>(_ rc: T) -> Bool { rc == LIBSSH2_ERROR_EAGAIN }
}
