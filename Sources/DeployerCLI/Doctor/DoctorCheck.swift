/// One line of `deployer doctor`: what was checked, on which machine, how it went, and what
/// to do about it (docs/doctor.md lists every check).
struct DoctorCheck: Sendable, Equatable {
    enum Result: String, Sendable {
        /// Nothing to do.
        case ok
        /// Works, but worth a look (a push still runs).
        case warning
        /// A push would fail, or would be unsafe, until it is fixed.
        case problem
    }

    /// `controller`, or the host as the recipe names it.
    var subject: String
    /// `recipe`, `ssh_config`, `host_key`, `identity`, `deploy_to`, `disk`, `tools`, `clock`, …
    var name: String
    var result: Result
    /// What was found, in words.
    var detail: String
    /// What to do, when the result is not ok.
    var fix: String?
    /// The host could not be reached or logged into: exit 4 rather than 1.
    var unreachable = false

    static let controller = "controller"

    static func ok(_ subject: String, _ name: String, _ detail: String) -> DoctorCheck {
        DoctorCheck(subject: subject, name: name, result: .ok, detail: detail)
    }

    static func warning(_ subject: String, _ name: String, _ detail: String, fix: String?) -> DoctorCheck {
        DoctorCheck(subject: subject, name: name, result: .warning, detail: detail, fix: fix)
    }

    static func problem(_ subject: String, _ name: String, _ detail: String, fix: String?) -> DoctorCheck {
        DoctorCheck(subject: subject, name: name, result: .problem, detail: detail, fix: fix)
    }
}
