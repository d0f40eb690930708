/// One of the recipe's shared files or dirs as one host has it (`deployer shared ENV list`):
/// what is there, its size, mode and modification time; never its contents.
public struct SharedPathState: Sendable, Hashable {
    /// What the recipe declares the path to be, and what a host can have there.
    public enum Kind: String, Sendable, Hashable {
        case file, dir, other
    }

    /// Under `DEPLOY_TO/shared/`, as the recipe declares it.
    public var path: String
    public var declared: Kind
    /// Nil when nothing is there.
    public var found: Kind?
    public var bytes: Int?
    /// Octal permission bits, e.g. `600`.
    public var mode: String?
    /// Unix time of the last modification.
    public var modified: Int?

    public init(path: String, declared: Kind, found: Kind?, bytes: Int? = nil, mode: String? = nil, modified: Int? = nil) {
        self.path = path; self.declared = declared; self.found = found; self.bytes = bytes; self.mode = mode
        self.modified = modified
    }

    /// What is wrong, nil when nothing is: a missing file fails every push in prepare, a missing dir
    /// is created by the next push.
    public var problem: String? {
        guard let found else { return declared == .file ? "missing" : "missing (created by the next push)" }
        return found == declared ? nil : "not a \(declared.rawValue)"
    }

    /// Parses the line `HostScripts`' listing printed for this path: `missing`, or
    /// `KIND|BYTES|MODE|MTIME` from `stat -L -c '%F|%s|%a|%Y'`.
    init(path: String, declared: Kind, statLine: Substring) {
        let fields = statLine.split(separator: "|", omittingEmptySubsequences: false)
        guard fields.count == 4 else {
            self.init(path: path, declared: declared, found: nil)
            return
        }
        let found: Kind = switch fields[0] {
        case "directory": .dir
        case "regular file", "regular empty file": .file
        default: .other
        }
        self.init(path: path, declared: declared, found: found, bytes: Int(fields[1]), mode: String(fields[2]),
                  modified: Int(fields[3]))
    }
}
