import Checksums
import Foundation

extension ArtifactFile {
    /// The manifest of the artifact file at `path` (its first member only): refuses, naming the file, one
    /// that is not an artifact file, is cut short inside the manifest, or has a manifest of another format.
    public static func manifest(of path: String) throws(ArtifactError) -> ArtifactManifest {
        let input = try open(path)
        defer { try? input.close() }
        return try readManifest(input, path: path).manifest
    }

    /// Copies the artifact member of the file at `path` to `destination`, hashing it as it streams, and
    /// returns the manifest once the bytes are the ones it names: a file cut short (fewer bytes than its
    /// header or its manifest says) or altered (another SHA-256) is refused, naming the file and what
    /// differs, and nothing is left at `destination`.
    public static func extract(_ path: String, to destination: String) throws(ArtifactError) -> ArtifactManifest {
        let input = try open(path)
        defer { try? input.close() }
        let (manifest, manifestSize) = try readManifest(input, path: path)
        try skip(TarHeader.padding(after: manifestSize), of: input, path: path, reading: "the manifest's padding")
        guard let header = TarHeader(decoding: try read(TarHeader.blockSize, of: input, path: path, reading: "the artifact's header")),
              header.name == artifactMember else {
            throw ArtifactError("\(path) is damaged: its second member is not '\(artifactMember)'; build it again "
                + "(deployer build ENV --out FILE)")
        }
        guard header.size == manifest.bytes else {
            throw ArtifactError("\(path) is damaged: its manifest says \(manifest.bytes) bytes of artifact, its tar header "
                + "\(header.size); build it again (deployer build ENV --out FILE)")
        }
        guard FileManager.default.createFile(atPath: destination, contents: nil),
              let output = FileHandle(forWritingAtPath: destination) else {
            throw ArtifactError("cannot write \(destination)")
        }
        var kept = false
        defer {
            try? output.close()
            if !kept { try? FileManager.default.removeItem(atPath: destination) }
        }
        var digest = SHA256()
        var remaining = header.size
        while remaining > 0 {
            let chunk: Data
            do { chunk = try input.read(upToCount: min(chunkBytes, remaining)) ?? Data() } catch {
                throw ArtifactError("cannot read \(path): \(error.localizedDescription)")
            }
            guard !chunk.isEmpty else {
                throw ArtifactError("\(path) is truncated: it holds \(header.size - remaining) of the artifact's \(header.size) "
                    + "bytes; copy the whole file again (or build it again: deployer build ENV --out FILE)")
            }
            chunk.withUnsafeBytes { digest.update($0) }
            do { try output.write(contentsOf: chunk) } catch {
                throw ArtifactError("cannot write \(destination): \(error.localizedDescription)")
            }
            remaining -= chunk.count
        }
        let found = SHA256.hex(digest.finalize())
        guard found == manifest.digest else {
            throw ArtifactError("\(path) was altered: its artifact has SHA-256 \(found), its manifest says \(manifest.digest); "
                + "build it again (deployer build ENV --out FILE)")
        }
        kept = true
        return manifest
    }

    private static func open(_ path: String) throws(ArtifactError) -> FileHandle {
        guard let input = FileHandle(forReadingAtPath: path) else {
            throw ArtifactError("cannot read the artifact file \(path): no such file, or not readable")
        }
        return input
    }

    /// The manifest member and its size in bytes.
    private static func readManifest(_ input: FileHandle, path: String) throws(ArtifactError) -> (manifest: ArtifactManifest, size: Int) {
        let notOurs = ArtifactError("\(path) is not an artifact file written by `deployer build --out` (its first member "
            + "is not '\(manifestMember)')")
        let block: [UInt8]
        do { block = try read(TarHeader.blockSize, of: input, path: path, reading: "its first header") } catch { throw notOurs }
        guard let header = TarHeader(decoding: block), header.name == manifestMember, header.size <= maxManifestBytes else {
            throw notOurs
        }
        let json = try read(header.size, of: input, path: path, reading: "the manifest")
        guard let manifest = try? JSONDecoder().decode(ArtifactManifest.self, from: Data(json)) else {
            throw ArtifactError("\(path) is damaged: its manifest '\(manifestMember)' is not readable JSON of an artifact manifest")
        }
        guard manifest.format == ArtifactManifest.currentFormat else {
            throw ArtifactError("\(path) has artifact format \(manifest.format); this deployer reads format "
                + "\(ArtifactManifest.currentFormat): build it with this deployer")
        }
        return (manifest, header.size)
    }

    private static func read(_ count: Int, of input: FileHandle, path: String, reading what: String) throws(ArtifactError) -> [UInt8] {
        var bytes: [UInt8] = []
        while bytes.count < count {
            let chunk: Data
            do { chunk = try input.read(upToCount: count - bytes.count) ?? Data() } catch {
                throw ArtifactError("cannot read \(path): \(error.localizedDescription)")
            }
            guard !chunk.isEmpty else {
                throw ArtifactError("\(path) is truncated: it ends inside \(what); copy the whole file again")
            }
            bytes += chunk
        }
        return bytes
    }

    private static func skip(_ count: Int, of input: FileHandle, path: String, reading what: String) throws(ArtifactError) {
        if count > 0 { _ = try read(count, of: input, path: path, reading: what) }
    }
}
