import Foundation

extension ArtifactBuilder {
    /// The submodules recorded in `tree` (a tree id of the repository at `path`): each one's path
    /// relative to that tree and the commit it is pinned to.
    func gitlinks(in tree: String, at path: String) async throws(ArtifactError) -> [(path: String, commit: String)] {
        let listing = try await git(path, ["ls-tree", "-r", "-z", "--full-tree", tree])
        return listing.split(separator: 0).compactMap { entry in
            let line = String(decoding: entry, as: UTF8.self)
            let prefix = "160000 commit "
            guard line.hasPrefix(prefix), let tab = line.firstIndex(of: "\t") else { return nil }
            return (String(line[line.index(after: tab)...]), String(line[line.index(line.startIndex, offsetBy: prefix.count)..<tab]))
        }
    }

    /// `git archive` of `commit` with, under each submodule's path, `git archive` of the commit the
    /// tree pins it to (and theirs, recursively), as one tar.gz at `output`. A submodule that is not
    /// checked out on the controller, or lacks its pinned commit, is refused: leaving it out would
    /// ship an empty directory where the app expects code.
    func archiveWithSubmodules(_ commit: String, at path: String, links: [(path: String, commit: String)],
                               to output: String) async throws(ArtifactError) {
        let tar = output + ".tar"
        defer { try? FileManager.default.removeItem(atPath: tar) }
        _ = try await git(path, ["archive", "--format=tar", "-o", tar, commit])
        try await appendSubmodules(links, of: path, prefix: "", to: tar)
        _ = try await run("/bin/sh", ["-c", "gzip -n <\"$1\" >\"$2\"", "sh", tar, output])
    }

    private func appendSubmodules(_ links: [(path: String, commit: String)], of path: String, prefix: String,
                                  to tar: String) async throws(ArtifactError) {
        for link in links {
            let directory = path + "/" + link.path
            let shown = prefix + link.path
            let present = FileManager.default.fileExists(atPath: directory + "/.git")
            guard present, (try? await git(directory, ["cat-file", "-e", link.commit + "^{commit}"])) != nil else {
                throw ArtifactError("submodule '\(shown)' (commit \(link.commit.prefix(12))) is "
                    + (present ? "checked out at \(directory) without that commit" : "not checked out at \(directory)")
                    + "\n  run `git submodule update --init --recursive`, or set `submodules: false` in the recipe's "
                    + "`source` to deploy without submodules")
            }
            let part = tar + "-" + UUID().uuidString
            defer { try? FileManager.default.removeItem(atPath: part) }
            _ = try await git(directory, ["archive", "--format=tar", "--prefix=" + shown + "/", "-o", part, link.commit])
            _ = try await run("/usr/bin/env", ["tar", "--concatenate", "-f", tar, part])
            let tree = try await gitLine(directory, ["rev-parse", link.commit + "^{tree}"])
            try await appendSubmodules(try await gitlinks(in: tree, at: directory), of: directory, prefix: shown + "/", to: tar)
        }
    }
}
