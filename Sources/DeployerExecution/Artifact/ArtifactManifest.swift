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

    public init(app: String, environment: String, revision: String, buildFingerprint: String, digest: String,
                bytes: Int, deployer: String) {
        format = Self.currentFormat
        self.app = app; self.environment = environment; self.revision = revision
        self.buildFingerprint = buildFingerprint; self.digest = digest; self.bytes = bytes; self.deployer = deployer
    }

    enum CodingKeys: String, CodingKey {
        case format, app, environment, revision, digest, bytes, deployer
        case buildFingerprint = "build_fingerprint"
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
}
