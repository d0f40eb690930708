/// Why a signature for public-key authentication could not be made (the agent refused, libcrypto
/// failed), in words for the list of what was tried.
struct SigningFailure: Error {
    let reason: String
}
