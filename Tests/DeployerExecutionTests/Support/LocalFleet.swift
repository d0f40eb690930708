import DeployerExecution
import DeployerModel
import Foundation

/// Hosts simulated on the controller: each host's scripts run locally with
/// the environment's `deploy_to` replaced by a directory of its own, so
/// executor tests exercise the real scripts on several "hosts".
final class LocalFleet: Connector, @unchecked Sendable {
    let root: String
    let deployTo = "/srv/deployer-test-app"
    private let lock = NSLock()
    private var unreachable: Set<String> = []
    private var failing: [String: String] = [:]
    private var slow: [String: (marker: String, seconds: Double)] = [:]

    init() throws {
        root = NSTemporaryDirectory() + "deployer-fleet-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func directory(of host: String) -> String { root + "/" + host }

    /// The host refuses connections from now on.
    func makeUnreachable(_ host: String) { lock.withLock { _ = unreachable.insert(host) } }

    /// Scripts sent to `host` that contain `marker` break the connection instead of running.
    func breakConnection(_ host: String, whenScriptContains marker: String) { lock.withLock { failing[host] = marker } }

    /// Scripts sent to `host` that contain `marker` start `seconds` late (a slow host).
    func delay(_ host: String, whenScriptContains marker: String, seconds: Double) {
        lock.withLock { slow[host] = (marker, seconds) }
    }

    fileprivate func delay(of host: String, _ script: String) -> Double {
        lock.withLock { slow[host].flatMap { script.contains($0.marker) ? $0.seconds : nil } ?? 0 }
    }

    func connect(to host: FleetHost) async throws(TransportError) -> any Transport {
        if lock.withLock({ unreachable.contains(host.name) }) {
            throw TransportError(.unreachable, "connection refused")
        }
        try? FileManager.default.createDirectory(atPath: directory(of: host.name), withIntermediateDirectories: true)
        return RedirectedTransport(from: deployTo, to: directory(of: host.name) + deployTo, host: host.name, fleet: self)
    }

    fileprivate func breaks(_ host: String, _ script: String) -> Bool {
        lock.withLock { failing[host].map { script.contains($0) } ?? false || unreachable.contains(host) }
    }

    func read(_ host: String, _ path: String) -> String? {
        try? String(contentsOfFile: directory(of: host) + deployTo + "/" + path, encoding: .utf8)
    }

    func currentRelease(_ host: String) -> String? {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: directory(of: host) + deployTo + "/current"))
            .map { ($0 as NSString).lastPathComponent }
    }

    func releases(_ host: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory(of: host) + deployTo + "/releases")) ?? []).sorted()
    }

    /// Writes `text` to `path` under `host`'s deploy_to, making the directories on the way; the file's full path.
    @discardableResult
    func write(_ host: String, _ path: String, _ text: String) throws -> String {
        let file = directory(of: host) + deployTo + "/" + path
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    func exists(_ host: String, _ path: String) -> Bool {
        FileManager.default.fileExists(atPath: directory(of: host) + deployTo + "/" + path)
    }
}

/// A `LocalTransport` whose scripts and paths see `from` as `to`.
private struct RedirectedTransport: Transport {
    let from: String
    let to: String
    let host: String
    let fleet: LocalFleet
    let local = LocalTransport()

    func run(_ command: String, input: [CommandInput], timeout: Double?,
             onOutput: (@Sendable (OutputChunk) -> Void)?) async throws(TransportError) -> CommandResult {
        // The script is the input's text (a file ahead of it keeps its size), or the command itself.
        let texts = input.map { piece -> CommandInput in
            guard case let .bytes(bytes) = piece else { return piece }
            return .bytes(Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: from, with: to).utf8))
        }
        let script = input.compactMap { if case let .bytes(bytes) = $0 { String(decoding: bytes, as: UTF8.self) } else { nil } }
        if fleet.breaks(host, script.isEmpty ? command : script.joined()) {
            throw TransportError(.connectionLost, "connection to \(host) lost")
        }
        let delay = fleet.delay(of: host, script.joined())
        if delay > 0 { try? await Task.sleep(for: .seconds(delay)) }
        return try await local.run(command.replacingOccurrences(of: from, with: to), input: texts,
                                   timeout: timeout, onOutput: onOutput)
    }

    func close() async {}
}
