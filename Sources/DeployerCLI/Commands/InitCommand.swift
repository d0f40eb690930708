import ArgumentParser
import DeployerLoading
import DeployerModel
import Foundation
import DeployerReporting

/// `deployer init`: write a commented `deploy.yml` for a built-in recipe,
/// guessed from the project's files unless `--recipe` names it.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a commented deploy.yml for a built-in recipe, ready for deployer check.",
        discussion: """
            Without --recipe the kind of project is guessed from its files: manage.py → django (with \
            python-wheels when its requirements compile); requirements.txt naming a package compiled from \
            source (psycopg2, mysqlclient, ...) or setup.py with a C extension → python-wheels; \
            requirements.txt or pyproject.toml → python; package.json with a build script → node-build; \
            package.json → node; index.html or public/ → static; \
            a *.service file → systemd. The file has a one-host staging and a three-host prod with a rolling \
            switch and a health check (--environments qa,staging,prod: one-host qa and staging, then prod); \
            its hosts are placeholders to replace. An existing deploy.yml is kept \
            unless --force. Exit 2 when nothing was written.
            """)

    @Option(help: ArgumentHelp("The kind of project: django, python-wheels, python, node-build, node, static or systemd (default: guessed from its files).",
                               valueName: "kind"))
    var recipe: StarterRecipe?

    @Option(help: ArgumentHelp("The app's name (default: the name pyproject.toml, package.json or setup.cfg declares, else the directory's, made safe).", valueName: "name"))
    var app: String?

    @Option(help: ArgumentHelp("The project directory to write deploy.yml in (default: the current directory).", valueName: "dir"),
            completion: .directory)
    var path: String?

    @Option(help: ArgumentHelp("Comma-separated environment names: each but the last a one-host rehearsal, "
                               + "the last the rolling, health-checked fleet.", valueName: "names"))
    var environments = "staging,prod"

    @Flag(help: "Overwrite an existing deploy.yml.")
    var force = false

    /// `--environments`, split.
    private var environmentNames: [String] { environments.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

    func validate() throws {
        let names = environmentNames
        for name in names where name.isEmpty || name != Self.appName(from: name) || name.contains(".") {
            throw ValidationError("--environments: '\(name)' is not an environment name; use lowercase letters, digits, "
                + "'_' and '-', starting with a letter or digit")
        }
        if names.isEmpty { throw ValidationError("--environments needs at least one name, e.g. staging,prod") }
        if Set(names).count != names.count { throw ValidationError("--environments names an environment twice: \(environments)") }
        if let app, app != Self.appName(from: app) {
            throw ValidationError("--app '\(app)': use lowercase letters, digits, '.', '_' and '-', starting with a letter or digit")
        }
    }

    func run() throws {
        let directory = path ?? FileManager.default.currentDirectoryPath
        let target = path.map { URL(fileURLWithPath: $0).appendingPathComponent(RecipeDiscovery.fileName).relativePath }
            ?? RecipeDiscovery.fileName
        guard FileManager.default.directoryExists(atPath: directory) else { try Self.refuse("no directory '\(directory)'") }
        if FileManager.default.fileExists(atPath: target), !force {
            try Self.refuse("\(target) already exists; deployer init leaves it as it is (pass --force to overwrite it)")
        }
        let detected = recipe == nil ? StarterRecipe.detect(in: directory) : nil
        guard let kind = recipe ?? detected else {
            let width = StarterRecipe.allCases.map(\.rawValue.count).max() ?? 0
            let choices = StarterRecipe.allCases.map { "  --recipe " + $0.rawValue.padding(toLength: width, withPad: " ", startingAt: 0) + "  (" + $0.clue + ")" }
            try Self.refuse((["cannot tell what kind of project \(directory) is; name one:"] + choices).joined(separator: "\n"))
        }
        let declared = app == nil ? ProjectGuess.declaredName(in: directory) : nil
        let name = app ?? declared.map { Self.appName(from: $0.value) }
            ?? Self.appName(from: URL(fileURLWithPath: directory).standardizedFileURL.lastPathComponent)
        let names = environmentNames
        var starter = StarterDeployFile(kind: kind, app: name, projectDirectory: directory, environments: names)
        if app == nil {
            starter.guesses.insert("app \(name): " + (declared?.reason ?? "the directory's name (the project declares none)"), at: 0)
        }
        try Self.verify(starter, as: target)
        do {
            try starter.text.write(toFile: target, atomically: true, encoding: .utf8)
        } catch {
            try Self.refuse("cannot write \(target): \(error.localizedDescription)")
        }
        let fileOption = path == nil ? "" : " -f " + ShellQuote.quote(target)
        var lines = detected.map { ["detected a \($0.rawValue) project (\($0.clue))"] } ?? []
        lines += [
            "wrote \(target): app \(name), use [\(starter.recipes.map(\.builtIn).joined(separator: ", "))], "
                + names.dropLast().map { "\($0) (1 host) and " }.joined() + "\(names.last!) (3 hosts, rolling with a health check)",
            "next:",
            "  1. replace the placeholder hosts (" + names.dropLast().map { "\($0)1; " }.joined() + "web1, web2, web3) with yours",
            "  2. deployer check\(fileOption)              validate it",
            "  3. deployer plan \(names[0])\(fileOption)       what a push would do; changes nothing",
            "  4. deployer push \(names[0])\(fileOption)",
        ]
        print(lines.joined(separator: "\n"))
    }

    /// `name` lowercased, with every run of characters other than letters,
    /// digits, `.`, `_` and `-` made one `-`, trimmed of punctuation at both
    /// ends; `app` when nothing is left.
    static func appName(from name: String) -> String {
        var safe = ""
        for character in name.lowercased() {
            if character.isASCII && (character.isLetter || character.isNumber || ".-_".contains(character)) {
                safe.append(character)
            } else if !safe.hasSuffix("-") {
                safe.append("-")
            }
        }
        let trimmed = safe.trimmingCharacters(in: CharacterSet(charactersIn: ".-_"))
        return trimmed.isEmpty ? "app" : trimmed
    }

    /// Loads the text as `deployer check` would, before it is written: when
    /// it does not load, that is deployer's fault (or its built-in recipes are
    /// missing), and nothing is written.
    private static func verify(_ file: StarterDeployFile, as target: String) throws {
        guard let recipes = RecipeDiscovery.recipesDirectory() else {
            try refuse("deployer's built-in recipes are not installed (looked next to the executable: ../share/deployer/recipes);"
                       + " set DEPLOYER_RECIPES to a directory holding them (Recipes/ in deployer's source)")
        }
        guard case let .failure(error) = RecipeLoader(recipesDirectory: recipes).load(text: file.text, path: target) else { return }
        DiagnosticPrinter.print(error.diagnostics, sources: error.sources)
        FileHandle.standardError.writeUnlessClosed("""
            error: the deploy.yml deployer init made does not load with the built-in recipes in \(recipes) (above); \
            nothing was written. This is a bug in deployer: please report it with the output above.

            """)
        throw ExitCode.failure
    }

    /// Prints `message` as an error and exits with code 2: nothing was written.
    private static func refuse(_ message: String) throws -> Never {
        FileHandle.standardError.writeUnlessClosed("error: \(message)\n")
        throw ExitCode.usageOrRecipe
    }
}
