import ArgumentParser
import DeployerLoading
import DeployerModel
import Foundation
import DeployerReporting

/// Finds `deploy.yml` and the built-in recipes, and loads a recipe the way
/// every command does: problems are printed with their source lines and the
/// command exits with code 2.
public enum RecipeDiscovery {
    /// The recipe file looked for when `-f` is not given.
    public static let fileName = "deploy.yml"

    /// `file` when given; otherwise the nearest `deploy.yml` in `directory` or
    /// one of its parents (like git finds `.git`), as a path relative to
    /// `directory` (`deploy.yml`, `../deploy.yml`, …).
    public static func locate(file: String?, from directory: String = FileManager.default.currentDirectoryPath) throws(DiagnosticsError) -> String {
        if let file {
            guard FileManager.default.fileExists(atPath: file) else {
                throw DiagnosticsError([.error("no recipe at '\(file)'")])
            }
            return file
        }
        var current = URL(fileURLWithPath: directory).standardizedFileURL
        var up = ""
        while true {
            if FileManager.default.fileExists(atPath: current.appendingPathComponent(fileName).path) { return up + fileName }
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { break }
            current = parent
            up += "../"
        }
        throw DiagnosticsError([.error("no \(fileName) in \(directory) or any directory above it",
                                       note: "run deployer from your project, or name the recipe with -f FILE")])
    }

    /// Where `use:` finds built-in recipes: `$DEPLOYER_RECIPES`, then
    /// `<executable dir>/../share/deployer/recipes` (an installed copy), then
    /// the `Recipes/` of the package the executable was built in
    /// (`.build/<config>/deployer` or `.build/<triple>/<config>/deployer`),
    /// then the `Recipes/` of the source tree this file was compiled from
    /// (for development). Nil when none exists.
    public static func recipesDirectory(environment: [String: String] = ProcessInfo.processInfo.environment,
                                        executable: URL? = Bundle.main.executableURL) -> String? {
        if let override = environment["DEPLOYER_RECIPES"], !override.isEmpty { return override }
        var candidates: [URL] = []
        if let directory = executable?.resolvingSymlinksInPath().deletingLastPathComponent() {
            candidates += ["../share/deployer/recipes", "../../Recipes", "../../../Recipes"].map { directory.appendingPathComponent($0) }
        }
        let sourceRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(sourceRoot.appendingPathComponent("Recipes"))
        return candidates.map { $0.standardizedFileURL.path }.first(where: FileManager.default.directoryExists(atPath:))
    }

    /// Locates and loads the recipe; every problem is in the error (printed where the run ends, exit 2).
    public static func load(file: String?) throws(DiagnosticsError) -> (recipe: Recipe, loader: RecipeLoader) {
        let loader = RecipeLoader(recipesDirectory: recipesDirectory())
        let path = try locate(file: file)
        return (try loader.load(path: path).get(), loader)
    }

    /// The values of `environment`'s secrets (controller environment, else its
    /// `secrets_file`), or the diagnostics (exit code 2), before any host is touched.
    static func secrets(of environment: ResolvedEnvironment, sources: [String: String]) throws(DiagnosticsError) -> [String: String] {
        if let file = environment.secretsFile, let mode = try? FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int,
           mode & 0o077 != 0 {
            FileHandle.standardError.writeUnlessClosed("warning: the secrets file \(file.path) can be read by other users (mode "
                + String(mode & 0o777, radix: 8) + "); chmod 600 it\n")
        }
        return try SecretValues.read(environment.secrets, file: environment.secretsFile,
                                     environment: ProcessInfo.processInfo.environment, recipeSources: sources)
    }

    /// Resolves one environment; an unknown name is a diagnostic (exit code 2).
    public static func resolve(_ recipe: Recipe, environment: String, loader: RecipeLoader)
        throws(DiagnosticsError) -> ResolvedEnvironment {
        try loader.resolve(recipe, environment: environment)
    }
}
