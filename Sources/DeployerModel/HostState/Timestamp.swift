import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Times as text, computed with the C library (`gmtime_r`, `localtime_r`): Foundation's date
/// formatters and `TimeZone` load ICU's data, several MB of the controller's memory for a run.
public enum Timestamp {
    /// `2026-11-29T05:33:00Z`, or `2026-11-29T05:33:00.123Z` with `fractionalSeconds`.
    public static func iso8601(_ date: Date, fractionalSeconds: Bool = false) -> String {
        let (time, millis) = fields(date, utc: true)
        let seconds = fractionalSeconds ? "." + pad(millis, 3) : ""
        return "\(time.tm_year + 1900)-\(pad(time.tm_mon + 1))-\(pad(time.tm_mday))T"
            + "\(pad(time.tm_hour)):\(pad(time.tm_min)):\(pad(time.tm_sec))\(seconds)Z"
    }

    /// `20261129T053300Z`: UTC, sorts by time, safe in file names.
    public static func compact(_ date: Date) -> String {
        let (time, _) = fields(date, utc: true)
        return "\(time.tm_year + 1900)\(pad(time.tm_mon + 1))\(pad(time.tm_mday))T"
            + "\(pad(time.tm_hour))\(pad(time.tm_min))\(pad(time.tm_sec))Z"
    }

    /// `05:33:00` in UTC or in the controller's local time zone.
    public static func clock(_ date: Date, utc: Bool) -> String {
        let (time, _) = fields(date, utc: utc)
        return "\(pad(time.tm_hour)):\(pad(time.tm_min)):\(pad(time.tm_sec))"
    }

    private static func fields(_ date: Date, utc: Bool) -> (tm, Int) {
        let interval = date.timeIntervalSince1970
        var seconds = time_t(interval.rounded(.down))
        var time = tm()
        if utc { gmtime_r(&seconds, &time) } else { localtime_r(&seconds, &time) }
        return (time, min(999, Int((interval - interval.rounded(.down)) * 1000)))
    }

    private static func pad(_ value: Int32, _ width: Int = 2) -> String { pad(Int(value), width) }

    private static func pad(_ value: Int, _ width: Int = 2) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
