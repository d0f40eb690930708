import DeployerLoading
import DeployerModel
import DeployerPlanning

/// The recipe loader: every input either loads (and then resolves and graphs
/// for each environment, or fails with diagnostics) or fails with at least one
/// diagnostic, each with a message and a line and column inside the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRecipe(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = fuzzText(start, count)
    // No file is readable: a `use:` entry must say so at its own location.
    let loader = RecipeLoader(recipesDirectory: nil, readFile: { path in throw FuzzNoFiles(path: path) })
    let lines = yamlLines(text)
    func check(_ diagnostics: [Diagnostic]) {
        require(!diagnostics.isEmpty, "a failure without diagnostics")
        for diagnostic in diagnostics {
            require(!diagnostic.message.isEmpty, "an empty message")
            guard let location = diagnostic.location else {
                return require(false, "no location: \(diagnostic.message)")
            }
            require(location.file == "fuzz.yml", "points at \(location.file): \(diagnostic.message)")
            require((1...max(lines.count, 1)).contains(location.line), "line \(location.line) of \(lines.count): \(diagnostic.message)")
            let width = lines[min(location.line, lines.count) - 1].count
            require((1...width + 1).contains(location.column), "column \(location.column) of \(width + 1): \(diagnostic.message)")
        }
    }
    switch loader.load(text: text, path: "fuzz.yml") {
    case let .success(recipe):
        for name in recipe.environmentNames {
            do {
                _ = TaskGraph(try loader.resolve(recipe, environment: name)).renderText()
            } catch {
                check(error.diagnostics)
            }
        }
    case let .failure(error):
        check(error.diagnostics)
    }
    return 0
}

struct FuzzNoFiles: Error { var path: String }

/// The lines of `text` as YAML counts them (LF, CR LF, CR and NEL end a line), in Unicode scalars.
func yamlLines(_ text: String) -> [[Unicode.Scalar]] {
    var lines: [[Unicode.Scalar]] = [[]]
    var afterCR = false
    for scalar in text.unicodeScalars {
        defer { afterCR = scalar == "\r" }
        if scalar == "\n" && afterCR { continue }
        if scalar == "\n" || scalar == "\r" || scalar == "\u{85}" { lines.append([]) } else { lines[lines.count - 1].append(scalar) }
    }
    return lines
}
