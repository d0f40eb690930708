import Foundation

/// File name handling shared by ssh_config parsing and resolution: `~`, `Include` paths, globbing.
enum SSHConfigPaths {
    /// Replaces a leading `~` or `~/` with `homeDirectory` (`~user` is left alone).
    static func expandTilde(_ path: String, homeDirectory: String) -> String {
        if path == "~" {
            return homeDirectory
        }
        if path.hasPrefix("~/") {
            return homeDirectory + path.dropFirst()
        }
        return path
    }

    /// Where OpenSSH looks for an `Include`: `~` expanded, relative names under `includeDirectory`
    /// (`~/.ssh` in a user config, `/etc/ssh` in the system one).
    static func includePath(_ pattern: String, homeDirectory: String, includeDirectory: String) -> String {
        let expanded = expandTilde(pattern, homeDirectory: homeDirectory)
        return expanded.hasPrefix("/") ? expanded : includeDirectory + "/" + expanded
    }

    /// The files matching a glob pattern, sorted as glob(3) sorts them; none when nothing matches.
    static func glob(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard Foundation.glob(pattern, 0, nil, &result) == 0 else {
            return []
        }
        return (0..<Int(result.gl_pathc)).compactMap { index in
            result.gl_pathv[index].map { String(cString: $0) }
        }
    }
}
