#if canImport(Glibc)
import Glibc
#endif

/// Monotonic time in nanoseconds, for the event loop's deadlines (cheap, no allocation).
enum Monotonic {
    /// Nanoseconds since an arbitrary fixed point (CLOCK_MONOTONIC).
    static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    /// `now()` plus a duration, saturating.
    static func after(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        let nanos = UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
        return now() &+ nanos
    }
}
