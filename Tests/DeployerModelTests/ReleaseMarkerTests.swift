import DeployerModel
import Testing

/// A release marker is read back from a host; only deployer's own shape is trusted, since `promote`
/// builds the next release's name from its revision and fetches the artifact by its digest.
@Suite struct ReleaseMarkerTests {
    static let digest = String(repeating: "ab", count: 32)

    static func marker(revision: String = "3f2a9c1e", digest: String = digest) -> ReleaseMarker {
        ReleaseMarker(release: ReleaseID(rawValue: "20261129T034500Z-3f2a9c1"), revision: revision, digest: digest,
                      fingerprint: "f", createdAt: "", createdBy: "")
    }

    @Test func deployersOwnShapesAreWellFormed() {
        #expect(Self.marker().isWellFormed)
        #expect(Self.marker(revision: "dir-0123456789ab").isWellFormed)
    }

    @Test(arguments: ["../../x", "-n", "", "dir-", "dir-../", "HEAD", "3F2A"])
    func revisionsThatCouldBecomePathsOrOptionsAreNot(_ revision: String) {
        #expect(!Self.marker(revision: revision).isWellFormed)
    }

    @Test(arguments: ["../../../../tmp/x", "abc", String(repeating: "AB", count: 32), String(repeating: "g", count: 64)])
    func digestsThatAreNotSHA256HexAreNot(_ digest: String) {
        #expect(!Self.marker(digest: digest).isWellFormed)
    }
}
