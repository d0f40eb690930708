import DeployerModel
import Foundation

/// Loads `deploy.yml` (with the recipes it `use`s) into a validated `Recipe`,
/// and resolves one of its environments into a `ResolvedEnvironment`.
///
/// Every problem in the recipe is collected and returned together, sorted by
/// position. Reading files is the only I/O, and it goes through the injected
/// closures, so tests (and the fuzz test) load from memory.
public struct RecipeLoader: Sendable {
    /// Returns the text of the file at a path, or throws.
    public typealias FileReader = @Sendable (String) throws -> String
    /// Returns the names of the entries of a directory (for recipe-name suggestions).
    public typealias DirectoryLister = @Sendable (String) -> [String]

    /// Where built-in recipes named in `use:` live (`NAME.yml`); nil when none are installed.
    public let recipesDirectory: String?
    let readFile: FileReader
    let listDirectory: DirectoryLister

    /// A loader reading through `readFile` (disk by default); `recipesDirectory` holds the built-in recipes.
    public init(recipesDirectory: String?, readFile: @escaping FileReader = RecipeLoader.readFromDisk,
                listDirectory: @escaping DirectoryLister = RecipeLoader.listOnDisk) {
        self.recipesDirectory = recipesDirectory
        self.readFile = readFile
        self.listDirectory = listDirectory
    }

    /// Reads a UTF-8 file from disk.
    public static let readFromDisk: FileReader = { path in
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return String(decoding: data, as: UTF8.self)
    }

    /// Lists a directory on disk (empty when it cannot be read).
    public static let listOnDisk: DirectoryLister = { path in
        (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    }

    /// The recipe at `path`, or every problem found in it (and in the recipes it uses).
    /// Diagnostics name files by the paths as given (`path`, and paths derived from it).
    public func load(path: String) -> Result<Recipe, DiagnosticsError> {
        let text: String
        do { text = try readFile(path) } catch {
            return .failure(DiagnosticsError([.error("cannot read '\(path)': \(Self.describe(error))")]))
        }
        return load(text: text, path: path)
    }

    /// The recipe in `text`, as if read from `path` (recipes it uses are still read through `readFile`).
    public func load(text: String, path: String) -> Result<Recipe, DiagnosticsError> {
        var session = RecipeLoadingSession(loader: self)
        let root = session.compose(text: text, path: path, stack: [])
        guard let root else { return .failure(DiagnosticsError(session.diagnostics, sources: session.sources)) }
        var decoder = RecipeDecoder(sources: session.sources)
        guard let recipe = decoder.decode(root, file: path) else {
            return .failure(DiagnosticsError(Self.unique(session.diagnostics + decoder.diagnostics), sources: session.sources))
        }
        let diagnostics = Self.unique(session.diagnostics + decoder.diagnostics + RecipeValidator(recipe: recipe, decoder: decoder).validate())
        return diagnostics.isEmpty ? .success(recipe) : .failure(DiagnosticsError(diagnostics, sources: session.sources))
    }

    static func unique(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        var seen = Set<Diagnostic>()
        return diagnostics.filter { seen.insert($0).inserted }
    }

    static func describe(_ error: any Error) -> String {
        let nsError = error as NSError
        if nsError.domain == NSCocoaErrorDomain, nsError.code == NSFileReadNoSuchFileError { return "no such file" }
        return nsError.localizedDescription
    }
}
