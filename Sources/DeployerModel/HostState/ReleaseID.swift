/// The name of one release, the same on every host of a fleet:
/// `YYYYMMDDTHHMMSSZ-<short revision>`, chosen once on the controller.
///
/// Ids sort by time as plain strings, which is what "older" and "newer" mean
/// everywhere in deployer (the previous release is the newest older one).
public struct ReleaseID: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    /// The id for a release made at `unixSeconds` (UTC) from `revision`
    /// (its first seven characters are kept).
    public init(unixSeconds: Int, revision: String) {
        let days = unixSeconds >= 0 ? unixSeconds / 86_400 : (unixSeconds - 86_399) / 86_400
        let secondsOfDay = unixSeconds - days * 86_400
        let (year, month, day) = ReleaseID.civilDate(daysSinceEpoch: days)
        let stamp = ReleaseID.digits(year, 4) + ReleaseID.digits(month, 2) + ReleaseID.digits(day, 2) + "T"
            + ReleaseID.digits(secondsOfDay / 3600, 2) + ReleaseID.digits(secondsOfDay / 60 % 60, 2)
            + ReleaseID.digits(secondsOfDay % 60, 2) + "Z"
        rawValue = stamp + "-" + String(revision.prefix(7))
    }

    /// Whether `text` has the shape of a release id, so that a directory
    /// name or a `--to` argument can be trusted in a path.
    public static func isValid(_ text: String) -> Bool {
        let chars = Array(text.utf8)
        guard chars.count > 17, chars[8] == UInt8(ascii: "T"), chars[15] == UInt8(ascii: "Z"),
              chars[16] == UInt8(ascii: "-") else { return false }
        let isDigit = { (c: UInt8) in c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
        let isWordChar = { (c: UInt8) in
            isDigit(c) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z"))
                || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || c == UInt8(ascii: "_")
                || c == UInt8(ascii: "-") || c == UInt8(ascii: ".")
        }
        return chars[0..<8].allSatisfy(isDigit) && chars[9..<15].allSatisfy(isDigit)
            && chars[17...].allSatisfy(isWordChar)
    }

    public var description: String { rawValue }

    public static func < (lhs: ReleaseID, rhs: ReleaseID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Howard Hinnant's `civil_from_days`: proleptic Gregorian date of a day count since 1970-01-01.
    private static func civilDate(daysSinceEpoch: Int) -> (year: Int, month: Int, day: Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func digits(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
