import DeployerModel
import Foundation

extension ArtifactBuilder {
    /// Refuses an artifact that would write outside its release directory when extracted: a member
    /// with an absolute path or a `..` component, a symbolic link whose target is absolute or climbs
    /// out of the release, a hard link to such a path, or a device or FIFO; and one with a top-level
    /// entry named like deployer's own (`.deployer-*`: the release marker, the failure mark). Checked once on the
    /// controller for every artifact it makes or fetches; each host verifies the artifact's SHA-256
    /// before extracting it, so what a host extracts is what was checked here. A refused file is deleted.
    public static func checkContents(of file: String) async throws(ArtifactError) {
        let output = try? await ProcessRunner.run("/usr/bin/env", ["tar", "--numeric-owner", "-tvzf", file],
                                                  environment: ["LC_ALL": "C", "PATH": "/usr/bin:/bin"])
        guard let output, output.status == 0, !output.signaled else {
            try? FileManager.default.removeItem(atPath: file)
            throw ArtifactError("the artifact \(file) is not a readable tar.gz: "
                + String(decoding: output?.stderr ?? [], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let problems = listingProblems(String(decoding: output.stdout, as: UTF8.self))
        guard problems.isEmpty else {
            try? FileManager.default.removeItem(atPath: file)
            throw ArtifactError("the artifact \(file) would write outside its release directory or over deployer's "
                + "own files in it; refusing it:\n"
                + problems.prefix(10).map { "  " + $0 }.joined(separator: "\n")
                + (problems.count > 10 ? "\n  … and \(problems.count - 10) more" : ""))
        }
    }

    /// What is unsafe in a `tar -tv --numeric-owner` listing (C locale, one member a line:
    /// `TYPE+MODE UID/GID SIZE DATE TIME NAME[ -> TARGET| link to TARGET]`). Symbolic links may
    /// climb (`../`) only at the start of their target and never above the release, and no member
    /// lies below a symbolic link, so no chain of links leads out.
    static func listingProblems(_ listing: String) -> [String] {
        var problems: [String] = []
        var members: [(type: Character, name: [Substring], target: String?)] = []
        for line in listing.split(separator: "\n") {
            var rest = line[...]
            for _ in 0..<5 { rest = rest.drop { $0 == " " }.drop { $0 != " " } }
            let entry = String(rest.dropFirst())
            guard let type = line.first, !entry.isEmpty else { problems.append("unreadable listing line '\(line)'"); continue }
            let separator = type == "l" ? " -> " : type == "h" ? " link to " : nil
            let parts = separator.map { entry.components(separatedBy: $0) } ?? [entry]
            guard parts.count == (separator == nil ? 1 : 2) else { problems.append("\(entry): a link with '\(separator!)' in its name"); continue }
            if type == "c" || type == "b" || type == "p" { problems.append("\(entry): a device or FIFO") }
            for path in parts.prefix(type == "h" ? 2 : 1) {
                if path.hasPrefix("/") { problems.append("\(path): an absolute path") }
                else if path.split(separator: "/").contains("..") { problems.append("\(path): '..' in the path") }
            }
            members.append((type, parts[0].split(separator: "/").filter { $0 != "." }, type == "l" ? parts[1] : nil))
        }
        let reserved = Set(members.compactMap(\.name.first).filter { $0.hasPrefix(RemoteLayout.reservedReleaseEntryPrefix) })
        problems += reserved.sorted().map {
            "\($0): a name deployer keeps for its own files in a release (\(RemoteLayout.reservedReleaseEntryPrefix)*); "
                + "rename it, or leave it out of the artifact (export-ignore in .gitattributes)"
        }
        let links = Set(members.filter { $0.type == "l" }.map { $0.name.joined(separator: "/") })
        for member in members {
            let name = member.name.joined(separator: "/")
            if let below = (1..<max(member.name.count, 1)).first(where: { links.contains(member.name.prefix($0).joined(separator: "/")) }) {
                problems.append("\(name): below the symbolic link \(member.name.prefix(below).joined(separator: "/"))")
            }
            guard let target = member.target else { continue }
            let steps = target.split(separator: "/").filter { $0 != "." }
            let climbs = steps.prefix { $0 == ".." }.count
            if target.hasPrefix("/") {
                problems.append("\(name): a symbolic link to an absolute path (\(target))")
            } else if climbs > member.name.count - 1 || steps.dropFirst(climbs).contains("..") {
                problems.append("\(name): a symbolic link out of the release (\(target))")
            }
        }
        return problems
    }
}
