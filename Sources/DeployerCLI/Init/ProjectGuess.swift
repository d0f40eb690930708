import Foundation

/// What `deployer init` reads from a project beyond its kind: the name the project declares and
/// a production settings module, each with the reason, so the written file can say what was
/// guessed and why.
struct ProjectGuess {
    /// A value and where it came from, as a comment says it.
    struct Guess {
        var value: String
        var reason: String
    }

    /// The name `pyproject.toml`, `package.json` or `setup.cfg` declares (in that order), if any.
    static func declaredName(in directory: String) -> Guess? {
        func read(_ file: String) -> String? { try? String(contentsOfFile: directory + "/" + file, encoding: .utf8) }
        if let text = read("pyproject.toml"),
           let match = text.firstMatch(of: #/(?m)^\s*name\s*=\s*["']([^"']+)["']/#) {
            return Guess(value: String(match.1), reason: "the name pyproject.toml declares")
        }
        if let data = read("package.json").map({ Data($0.utf8) }),
           let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           let name = object["name"] as? String, !name.isEmpty {
            return Guess(value: String(name.split(separator: "/").last ?? Substring(name)), reason: "the name package.json declares")
        }
        if let text = read("setup.cfg"), let match = text.firstMatch(of: #/(?m)^name\s*=\s*(\S+)/#) {
            return Guess(value: String(match.1), reason: "the name setup.cfg declares")
        }
        return nil
    }

    /// The build script `package.json` declares (`scripts.build`): the node-build recipe runs it on the controller.
    static func nodeBuildScript(in directory: String) -> Guess? {
        guard let data = FileManager.default.contents(atPath: directory + "/package.json"),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let build = (object["scripts"] as? [String: Any])?["build"] as? String, !build.isEmpty else { return nil }
        return Guess(value: build, reason: "package.json has a build script (\(build)): node-build runs it on the controller, "
            + "so the hosts need node only")
    }

    /// Requirements that pip compiles from source where no published wheel fits (they need a C compiler
    /// and a library's headers on whatever installs them), by their normalized name.
    static let compiledPackages: Set = ["psycopg2", "mysqlclient", "python-ldap", "uwsgi", "pycurl", "mod-wsgi"]

    /// Why the project's Python dependencies need a compiler: a requirement of `compiledPackages` in
    /// `requirements.txt`, or a `setup.py` that builds a C extension; nil when neither is seen.
    static func compiledPythonDependency(in directory: String) -> Guess? {
        let because = ": python-wheels builds the wheels on the controller, so the hosts need no compiler"
        if let text = try? String(contentsOfFile: directory + "/requirements.txt", encoding: .utf8) {
            for line in text.split(whereSeparator: \.isNewline) {
                let name = line.prefix { $0.isLetter || $0.isNumber || "-_.".contains($0) }
                    .lowercased().replacingOccurrences(of: "_", with: "-")
                if compiledPackages.contains(name) {
                    return Guess(value: name, reason: "requirements.txt names \(name), compiled from source" + because)
                }
            }
        }
        if let text = try? String(contentsOfFile: directory + "/setup.py", encoding: .utf8), text.contains("Extension(") {
            return Guess(value: "setup.py", reason: "setup.py builds a C extension" + because)
        }
        return nil
    }

    /// Settings modules that are production's, in order of preference.
    static let productionModules = ["production", "prod"]

    /// `module` (what `manage.py` sets), or the production module beside it when `module` is a
    /// development one or a package that has one: `config.settings.dev` becomes
    /// `config.settings.production` when `config/settings/production.py` exists.
    static func productionSettings(_ module: String, in directory: String) -> Guess {
        var parts = module.split(separator: ".").map(String.init)
        let package: [String]
        if FileManager.default.directoryExists(atPath: directory + "/" + parts.joined(separator: "/")) {
            package = parts
        } else {
            package = Array(parts.dropLast())
        }
        guard !productionModules.contains(parts.last ?? "") else {
            return Guess(value: module, reason: "what manage.py sets")
        }
        for candidate in productionModules
        where FileManager.default.fileExists(atPath: directory + "/" + (package + [candidate]).joined(separator: "/") + ".py") {
            parts = package + [candidate]
            let chosen = parts.joined(separator: ".")
            return Guess(value: chosen, reason: "manage.py sets \(module), a development module (DEBUG is usually on "
                + "there), and \((package + [candidate]).joined(separator: "/")).py exists")
        }
        return Guess(value: module, reason: "what manage.py sets")
    }

    /// The media directory Django's `MEDIA_ROOT` names inside the project, to share between
    /// releases: read from the settings module's file, then the other files of its package
    /// (`production.py` often imports `base.py`). `MEDIA_ROOT = BASE_DIR / "uploads"` and
    /// `os.path.join(BASE_DIR, "uploads")` give `uploads`; an absolute path outside the project
    /// gives nil with the reason (it is not in a release, so nothing to share); no `MEDIA_ROOT`
    /// gives `media`, Django's convention, said as a guess.
    static func djangoMediaDirectory(settings module: String, in directory: String) -> (value: String?, reason: String) {
        let modulePath = module.replacingOccurrences(of: ".", with: "/")
        let package = (modulePath as NSString).deletingLastPathComponent
        let siblings = (try? FileManager.default.contentsOfDirectory(atPath: directory + "/" + package))?
            .filter { $0.hasSuffix(".py") }.sorted().map { package + "/" + $0 } ?? []
        let files = [modulePath + ".py", modulePath + "/__init__.py"] + siblings
        let assignment = #/(?m)^MEDIA_ROOT\s*=\s*(.+)$/#
        for file in files {
            guard let text = try? String(contentsOfFile: directory + "/" + file, encoding: .utf8),
                  let match = text.firstMatch(of: assignment) else { continue }
            let expression = String(match.1)
            let literals = expression.matches(of: #/["']([^"']+)["']/#).map { String($0.1) }
            guard let last = literals.last else {
                return ("media", "\(file) sets MEDIA_ROOT to \(expression), which init cannot read: media is a guess")
            }
            if last.hasPrefix("/") {
                return (nil, "\(file) sets MEDIA_ROOT to \(last), outside the release: nothing to share for it")
            }
            let relative = last.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
            return (relative, "the MEDIA_ROOT \(file) sets")
        }
        return ("media", "no MEDIA_ROOT found in \(package.isEmpty ? modulePath : package): media is Django's convention")
    }
}

