import DeployerModel
import DeployerPlanning
import Foundation
import SSH

extension Executor {
    /// Copies the artifact `marker.digest` from `host`'s `.deployer/artifacts/`
    /// into `cacheDirectory` (streamed and hashed on the way), with the keys of
    /// the environments release `marker.release` links there; refuses an
    /// artifact whose SHA-256 is not the marker's. For `deployer promote` when
    /// the controller cannot rebuild the artifact byte for byte.
    public func fetchArtifact(_ marker: ReleaseMarker, from host: FleetHost, cacheDirectory: String)
        async throws(ArtifactError) -> Artifact {
        let connections = HostConnections(connector: connector, reporter: reporter)
        let fetched: Result<Artifact, ArtifactError>
        do {
            fetched = .success(try await fetchArtifact(marker, from: host, cacheDirectory: cacheDirectory,
                                                       connections: connections))
        } catch {
            fetched = .failure(error)
        }
        await connections.closeAll()
        return try fetched.get()
    }

    /// The most `promote` fetches of an artifact whose marker has no size (written before markers recorded it).
    static let maximumUnrecordedFetchBytes = 2 << 30

    /// How long fetching `bytes` may take: a minute, and a second per megabyte (a host that stalls or sends
    /// slowly is given up on, its connection not held forever).
    static func fetchDeadline(bytes: Int) -> Double { 60 + Double(bytes >> 20) }

    /// Sends the artifact at `path`, a regular file deployer stored (not a link: a link could point at
    /// `/dev/zero`), and no more than `limit` bytes of it.
    static func fetchCommand(_ path: String, limit: Int) -> String {
        let file = ShellQuote.quote(path)
        return "if [ -f \(file) ] && [ ! -L \(file) ]; then head -c \(limit) \(file); "
            + "else echo 'it is missing or not a regular file' >&2; exit 3; fi"
    }

    private func fetchArtifact(_ marker: ReleaseMarker, from host: FleetHost, cacheDirectory: String,
                               connections: HostConnections) async throws(ArtifactError) -> Artifact {
        let layout = RemoteLayout(deployTo: environment.deployTo)
        do {
            let transport = try await connections.transport(for: host)
            var envKeys: [String: EnvKey] = [:]
            for env in environment.dependencyEnvs {
                let link = try await transport.run(
                    "readlink " + ShellQuote.quote(layout.release(marker.release) + "/" + env.name), stdin: nil,
                    timeout: 30, onOutput: nil)
                let directory = (link.stdout.trimmingCharacters(in: .whitespacesAndNewlines) as NSString).lastPathComponent
                guard link.succeeded, directory.hasPrefix(env.name + "-") else {
                    throw ArtifactError("release \(marker.release) on \(host.name) has no environment '\(env.name)' to take its key from")
                }
                envKeys[env.name] = EnvKey(name: env.name, hash: String(directory.dropFirst(env.name.count + 1)))
            }
            try FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true)
            let file = cacheDirectory + "/fetched-" + marker.digest + ".tar.gz"
            let partial = file + ".partial-" + String(ProcessInfo.processInfo.processIdentifier)
            guard FileManager.default.createFile(atPath: partial, contents: nil),
                  let handle = FileHandle(forWritingAtPath: partial) else {
                throw ArtifactError("cannot write \(partial)")
            }
            // Whatever goes wrong from here on, no partial file is left in the cache.
            do {
                let limit = marker.bytes ?? Self.maximumUnrecordedFetchBytes
                let sink = FetchSink(handle: handle, limit: limit)
                let result = try await transport.run(Self.fetchCommand(layout.artifact(digest: marker.digest), limit: limit),
                                                     stdin: nil, timeout: Self.fetchDeadline(bytes: limit)) { chunk in
                    if case let .stdout(bytes) = chunk { sink.write(bytes) }
                }
                let (digest, bytes) = sink.finish()
                guard result.succeeded, digest == marker.digest else {
                    throw ArtifactError(result.succeeded
                        ? "the artifact fetched from \(host.name) has SHA-256 \(digest) (\(bytes) bytes, at most \(limit) read), "
                            + "expected \(marker.digest)"
                        : "\(host.name) has no artifact \(marker.digest.prefix(12)) to fetch: \(result.stderr)")
                }
                try await ArtifactBuilder.checkContents(of: partial)
                if rename(partial, file) != 0 { throw ArtifactError("cannot move \(partial) to \(file)") }
                return Artifact(path: file, digest: digest, bytes: bytes, revision: marker.revision, envKeys: envKeys,
                                revisionTime: marker.revisionTime)
            } catch {
                try? FileManager.default.removeItem(atPath: partial)
                throw error
            }
        } catch let error as ArtifactError {
            throw error
        } catch let error as TransportError {
            throw ArtifactError("cannot fetch the artifact from \(host.name): \(error.message)")
        } catch {
            throw ArtifactError("cannot fetch the artifact from \(host.name): \(error.localizedDescription)")
        }
    }
}
