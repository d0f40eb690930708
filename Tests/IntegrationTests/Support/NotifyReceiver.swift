import Foundation

/// The webhook stand-in `Fixtures/notify-receiver.py` on a free loopback port, stopped by `stop()`:
/// what it was sent is `received()`, one (path, JSON body) per POST.
final class NotifyReceiver: @unchecked Sendable {
    let port: Int
    private let process: Process
    private let record: String

    init() throws {
        record = NSTemporaryDirectory() + "deployer-notify-" + UUID().uuidString + ".jsonl"
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Sandbox.repository + "/Tests/IntegrationTests/Fixtures/notify-receiver.py", record]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line += byte
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            process.terminate()
            throw SandboxError("notify-receiver.py printed no port")
        }
        self.port = port
    }

    /// The POSTs received so far: their paths and bodies, parsed.
    func received() throws -> [(path: String, body: [String: Any])] {
        guard let text = try? String(contentsOfFile: record, encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { line in
            let entry = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            let body = try JSONSerialization.jsonObject(with: Data((entry["body"] as? String ?? "{}").utf8))
            return (entry["path"] as? String ?? "", body as? [String: Any] ?? [:])
        }
    }

    /// Kills the server (SIGKILL: the test process may hand its children SIGTERM ignored).
    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: record)
    }
}
