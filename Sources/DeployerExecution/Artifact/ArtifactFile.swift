import Foundation

/// A prebuilt artifact as one self-describing file (`deployer build ENV --out FILE`, read back by
/// `deployer push ENV --artifact FILE`): a plain POSIX tar of two members, the `ArtifactManifest` as
/// JSON first, then the artifact's tar.gz exactly as hosts receive it. `tar -tf FILE` lists them and
/// `tar -xOf FILE deployer-artifact.json` shows the manifest. Written and read by streaming in 1 MiB
/// chunks: the artifact is never held in memory.
public enum ArtifactFile {
    public static let manifestMember = "deployer-artifact.json"
    public static let artifactMember = "artifact.tar.gz"
    /// A manifest larger than this is no manifest of ours.
    static let maxManifestBytes = 64 << 10
    static let chunkBytes = 1 << 20

    /// Writes `artifact` and its `manifest` to `path`: to a partial file beside it first, then renamed,
    /// so `path` is never half-written.
    public static func write(_ artifact: Artifact, manifest: ArtifactManifest, to path: String) throws(ArtifactError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let json = [UInt8]((try? encoder.encode(manifest)) ?? Data()) + [UInt8(ascii: "\n")]
        guard artifact.bytes <= TarHeader.maxSize else {
            throw ArtifactError("the artifact is \(artifact.bytes) bytes; an artifact file holds at most 8 GiB")
        }
        let partial = path + ".partial-" + UUID().uuidString.prefix(8)
        guard FileManager.default.createFile(atPath: partial, contents: nil),
              let output = FileHandle(forWritingAtPath: partial) else {
            throw ArtifactError("cannot write \(path): cannot create \(partial)")
        }
        var renamed = false
        defer {
            try? output.close()
            if !renamed { try? FileManager.default.removeItem(atPath: partial) }
        }
        guard let input = FileHandle(forReadingAtPath: artifact.path) else { throw ArtifactError("cannot read \(artifact.path)") }
        defer { try? input.close() }
        do {
            try output.write(contentsOf: TarHeader(name: manifestMember, size: json.count).encoded)
            try output.write(contentsOf: json + [UInt8](repeating: 0, count: TarHeader.padding(after: json.count)))
            try output.write(contentsOf: TarHeader(name: artifactMember, size: artifact.bytes).encoded)
            var copied = 0
            while let chunk = try input.read(upToCount: chunkBytes), !chunk.isEmpty {
                copied += chunk.count
                try output.write(contentsOf: chunk)
            }
            guard copied == artifact.bytes else {
                throw ArtifactError("\(artifact.path) changed while it was copied (\(copied) bytes, expected \(artifact.bytes))")
            }
            try output.write(contentsOf: [UInt8](repeating: 0, count: TarHeader.padding(after: copied) + 2 * TarHeader.blockSize))
            try output.synchronize()
        } catch let error as ArtifactError {
            throw error
        } catch {
            throw ArtifactError("cannot write \(path): \(error.localizedDescription)")
        }
        do {
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.moveItem(atPath: partial, toPath: path)
            renamed = true
        } catch {
            throw ArtifactError("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
