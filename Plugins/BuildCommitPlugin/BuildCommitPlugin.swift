import Foundation
import PackagePlugin

/// Embeds the commit deployer is built from, so `deployer --version` can say
/// which source a binary came from.
///
/// A prebuild command (it runs before every build) asks git for the commit of
/// the package directory and writes `BuildInfo+Commit.swift` into the plugin's
/// work directory, never into the source tree, and only when its text changes,
/// so an unchanged commit recompiles and relinks nothing. Outside a git checkout
/// (a source tarball, git missing) the commit is `nil` and the build still
/// works: `--version` then says the commit is unknown.
@main
struct BuildCommitPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let outputDirectory = context.pluginWorkDirectoryURL.appending(path: "generated")
        return [
            .prebuildCommand(
                displayName: "Reading the commit \(target.name) is built from",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: [
                    "-c", Self.script, "build-commit",
                    context.package.directoryURL.path(percentEncoded: false),
                    outputDirectory.path(percentEncoded: false),
                ],
                outputFilesDirectory: outputDirectory
            ),
        ]
    }

    /// `$1` is the package directory, `$2` the output directory. A commit with
    /// uncommitted changes to tracked files gets a `-dirty` suffix.
    static let script = #"""
        set -u
        mkdir -p "$2"
        commit=$(git -C "$1" rev-parse --short=12 HEAD 2>/dev/null) || commit=""
        if [ -n "$commit" ]; then
          if [ -n "$(git -C "$1" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
            commit="$commit-dirty"
          fi
          value="\"$commit\""
        else
          value=nil
        fi
        file="$2/BuildInfo+Commit.swift"
        text="extension BuildInfo {
            /// The commit this binary was built from (written by BuildCommitPlugin).
            public static let commit: String? = $value
        }"
        if [ ! -f "$file" ] || [ "$(cat "$file")" != "$text" ]; then
          printf '%s\n' "$text" > "$file.tmp" && mv "$file.tmp" "$file"
        fi
        """#
}
