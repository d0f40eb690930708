import ArgumentParser
import DeployerReporting
import Foundation

/// Every check of a `deployer doctor` run, printed as aligned lines (one per check, the fix on
/// the same line) or as JSON lines (`doctor_check` objects, then one `doctor_summary`).
struct DoctorReport {
    var checks: [DoctorCheck]

    var problems: Int { checks.filter { $0.result == .problem }.count }
    var warnings: Int { checks.filter { $0.result == .warning }.count }

    /// 0 when no check found a problem (warnings allowed); 4 when a host could not be reached or
    /// logged into; else 1.
    var exitCode: ExitCode {
        if checks.contains(where: { $0.result == .problem && $0.unreachable }) { return .unreachable }
        return problems > 0 ? .deployFailed : .success
    }

    /// One line per check: result, subject, check, detail and `fix: …`, in aligned columns.
    var text: String {
        let resultWidth = "problem".count
        let subjectWidth = checks.map(\.subject.count).max() ?? 0
        let nameWidth = checks.map(\.name.count).max() ?? 0
        func padded(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: width - text.count) }
        var lines = checks.map { check in
            [padded(check.result.rawValue, resultWidth), padded(check.subject, subjectWidth), padded(check.name, nameWidth),
             Self.oneLine(check.detail + (check.fix.map { "; fix: " + $0 } ?? ""))].joined(separator: "  ")
        }
        lines.append(summary)
        return lines.joined(separator: "\n")
    }

    /// `doctor: 2 problems, 1 warning (3 hosts)`, or that every check passed.
    var summary: String {
        let hosts = Set(checks.map(\.subject)).subtracting([DoctorCheck.controller]).count
        let scope = "\(hosts) host\(hosts == 1 ? "" : "s")"
        guard problems + warnings > 0 else { return "doctor: every check passed (controller and \(scope))" }
        return "doctor: \(problems) problem\(problems == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s") (controller and \(scope))"
    }

    /// `doctor_check` objects in order, then a `doctor_summary`.
    var jsonLines: String {
        let header: [JSONValue.Member] = [.init("schema", .int(1))]
        var lines = checks.map { check in
            JSONValue.object(header + [
                .init("type", .string("doctor_check")), .init("host", .string(check.subject)),
                .init("check", .string(check.name)), .init("result", .string(check.result.rawValue)),
                .init("detail", .string(check.detail)), .init("fix", .optional(check.fix)),
            ]).serialized
        }
        lines.append(JSONValue.object(header + [
            .init("type", .string("doctor_summary")), .init("problems", .int(problems)),
            .init("warnings", .int(warnings)), .init("exit_code", .int(Int(exitCode.rawValue))),
        ]).serialized)
        return lines.joined(separator: "\n")
    }

    /// Multi-line messages (an SSH error's tried keys, a known_hosts line to add) on one line, control
    /// characters made visible: a detail may quote a host (the stderr of a command that failed there).
    static func oneLine(_ text: String) -> String {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ").displaySafe
    }
}
