import ArgumentParser
import Foundation

/// A kind of project `deployer init` writes a `deploy.yml` for, by its short
/// name (`--recipe django`), with the built-in recipe it builds on and the
/// files that give it away in a project directory.
enum StarterRecipe: String, CaseIterable, ExpressibleByArgument {
    case django
    case pythonWheels = "python-wheels"
    case python
    case nodeBuild = "node-build"
    case node, `static`, systemd

    /// The built-in recipe in `Recipes/` this kind uses.
    var builtIn: String {
        switch self {
        case .django: "django"
        case .pythonWheels: "python-wheels"
        case .python: "python-virtualenv"
        case .nodeBuild: "node-build"
        case .node: "node"
        case .static: "static-site"
        case .systemd: "systemd-service"
        }
    }

    /// What the built-in recipe brings, in a line.
    var summary: String {
        switch self {
        case .django: "a virtualenv per requirements.txt; collectstatic and `check --deploy` in each release; migrations once, on role db"
        case .pythonWheels: "wheels of requirements.txt built on the controller for the hosts' Python (needs pip and a C compiler there); hosts need no compiler nor package index"
        case .python: "a virtualenv per requirements.txt, linked into each release as ./venv"
        case .nodeBuild: "npm ci, `npm run build` and `npm prune --omit=dev` on the controller; hosts need node only (no npm, no registry)"
        case .node: "node_modules per package.json and package-lock.json (npm ci), then `npm run build`"
        case .static: "checks that each release has index.html; nothing is built on the hosts"
        case .systemd: "restarts the unit named like `app` after the switch and after a rollback"
        }
    }

    /// What `detect` looks for, as the message listing the choices says it.
    var clue: String {
        switch self {
        case .django: "manage.py"
        case .pythonWheels: "requirements.txt naming a package compiled from source (psycopg2, mysqlclient, ...) or setup.py with a C extension"
        case .python: "requirements.txt or pyproject.toml"
        case .nodeBuild: "package.json with a build script"
        case .node: "package.json"
        case .static: "index.html or public/"
        case .systemd: "a *.service file"
        }
    }

    /// The first kind (in declaration order, most specific first: a Django
    /// project also has requirements.txt) whose files are in `directory`;
    /// nil when none is.
    static func detect(in directory: String) -> StarterRecipe? {
        let entries = Set((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
        let hasPublic = FileManager.default.directoryExists(atPath: directory + "/public")
        return allCases.first { kind in
            switch kind {
            case .django: entries.contains("manage.py")
            case .pythonWheels: ProjectGuess.compiledPythonDependency(in: directory) != nil
            case .python: entries.contains("requirements.txt") || entries.contains("pyproject.toml")
            case .nodeBuild: ProjectGuess.nodeBuildScript(in: directory) != nil
            case .node: entries.contains("package.json")
            case .static: entries.contains("index.html") || hasPublic
            case .systemd: entries.contains { $0.hasSuffix(".service") }
            }
        }
    }
}
