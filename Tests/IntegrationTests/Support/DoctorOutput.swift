import Foundation

/// The lines `deployer doctor` printed: `RESULT SUBJECT CHECK DETAIL`, then the summary.
struct DoctorOutput {
    var lines: [(result: String, subject: String, check: String, detail: String)] = []
    var summary = ""

    init(_ output: String) {
        for line in output.split(separator: "\n") {
            if line.hasPrefix("doctor: ") { summary = String(line); continue }
            let words = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: true).map(String.init)
            guard words.count == 4 else { continue }
            lines.append((words[0], words[1], words[2], words[3].trimmingCharacters(in: .whitespaces)))
        }
    }

    func line(_ subject: String, _ check: String) -> (result: String, subject: String, check: String, detail: String)? {
        lines.first { $0.subject == subject && $0.check == check }
    }
}
