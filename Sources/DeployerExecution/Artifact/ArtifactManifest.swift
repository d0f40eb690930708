import Foundation

/// What a prebuilt artifact file (`deployer build --out`) says it holds: the first member of the file,
/// so the file describes itself and no sidecar can be lost or swapped. `deployer push --artifact`
/// compares it with the push it is asked to make (app, revision, build fingerprint) and with the bytes
/// that follow it (size and SHA-256) before any host is touched.
public struct ArtifactManifest: Codable, Hashable, Sendable {
    /// The version of this JSON shape; a file of another format is refused.
    public static let currentFormat = 1

    public var format: Int
    public var app: String
    /// The environment it was built for; another environment of the recipe may ship it when its build
    /// fingerprint is the same (staging and prod build alike unless a step uses a value that differs).
    public var environment: String
    /// The full commit (or a `dir:` source's digest-derived name).
    public var revision: String
    /// `BuildSteps.fingerprint` of the environment's build steps, `none` without build steps.
    public var buildFingerprint: String
    /// SHA-256 (hex) of the artifact member: what hosts verify and release markers record.
    public var digest: String
    public var bytes: Int
    /// `deployer --version` of the deployer that built it (for a person; not compared).
    public var deployer: String
    /// What the hosts answered to the build steps' `host_probe` (by step name) when it was built, e.g.
    /// the Python the wheels were made for: `push --artifact` asks its hosts again and refuses hosts
    /// that answer otherwise. Empty without such steps (and in files written before it was recorded).
    public var hostProbes: [String: String]

    public init(app: String, environment: String, revision: String, buildFingerprint: String, digest: String,
                bytes: Int, deployer: String, hostProbes: [String: String] = [:]) {
        format = Self.currentFormat
        self.app = app; self.environment = environment; self.revision = revision
        self.buildFingerprint = buildFingerprint; self.digest = digest; self.bytes = bytes; self.deployer = deployer
        self.hostProbes = hostProbes
    }

    enum CodingKeys: String, CodingKey {
        case format, app, environment, revision, digest, bytes, deployer
        case buildFingerprint = "build_fingerprint"
        case hostProbes = "host_probes"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        format = try container.decode(Int.self, forKey: .format)
        app = try container.decode(String.self, forKey: .app)
        environment = try container.decode(String.self, forKey: .environment)
        revision = try container.decode(String.self, forKey: .revision)
        buildFingerprint = try container.decode(String.self, forKey: .buildFingerprint)
        digest = try container.decode(String.self, forKey: .digest)
        bytes = try container.decode(Int.self, forKey: .bytes)
        deployer = try container.decode(String.self, forKey: .deployer)
        hostProbes = try container.decodeIfPresent([String: String].self, forKey: .hostProbes) ?? [:]
    }

    /// The fingerprint recorded for an environment without build steps.
    public static let noBuildSteps = "none"

    /// What differs between this manifest and the push it is offered to, one phrase each (empty: none).
    public func differences(app: String, revision: String, buildFingerprint: String) -> [String] {
        var lines: [String] = []
        if self.app != app { lines.append("it is an artifact of app '\(self.app)', the recipe deploys '\(app)'") }
        if self.revision != revision {
            lines.append("it was built from revision \(self.revision.prefix(12)), this push deploys \(revision.prefix(12))")
        }
        if self.buildFingerprint != buildFingerprint {
            lines.append("its build fingerprint is \(self.buildFingerprint.prefix(12)), the recipe's build steps for this "
                + "environment now give \(buildFingerprint.prefix(12)) (a step, its env, outputs or a secret it uses changed)")
        }
        return lines
    }

    /// What differs between the hosts' answers to the build steps' `host_probe` (`answers`: by step, then
    /// host; `hosts` in the recipe's order) and the answers an artifact was built for (`builtFor`, by step
    /// name: a manifest's `hostProbes`), one phrase each naming the hosts and both answers (empty: every
    /// host answers as when it was built).
    public static func hostProbeDifferences(_ answers: [String: [String: String]], hosts: [String],
                                            builtFor: [String: String]) -> [String] {
        answers.keys.sorted().compactMap { step in
            let byHost = answers[step] ?? [:]
            guard let builtFor = builtFor[step] else {
                return "it records no answer to build step '\(step)''s host_probe (written by an older deployer), and the "
                    + "hosts answer " + Set(byHost.values).sorted().map(quoted).joined(separator: ", ")
                    + "; build it again with this deployer"
            }
            var hostsByAnswer: [String: [String]] = [:]
            var order: [String] = []
            for host in hosts {
                guard let answer = byHost[host], answer != builtFor else { continue }
                if hostsByAnswer[answer] == nil { order.append(answer) }
                hostsByAnswer[answer, default: []].append(host)
            }
            guard !order.isEmpty else { return nil }
            return "it was built for hosts that answer \(quoted(builtFor)) to build step '\(step)''s host_probe; "
                + order.map { answer in
                    let named = hostsByAnswer[answer]!
                    return named.joined(separator: ", ") + (named.count == 1 ? " answers " : " answer ") + quoted(answer)
                }.joined(separator: ", ")
        }
    }

    static func quoted(_ answer: String) -> String { answer.isEmpty ? "(nothing)" : "'" + answer + "'" }
}
