import Foundation

/// The commented `deploy.yml` that `deployer init` writes for one kind of
/// project: the built-in recipe it uses, the app, where releases come from,
/// one-host rehearsals (staging) and a rolling, health-checked last environment (prod) with placeholder
/// hosts, and a comment on every key, so that it loads with `deployer check`
/// as written and says what to change.
struct StarterDeployFile {
    let kind: StarterRecipe
    let app: String
    /// Whether releases are the project's `public/` directory as it is, rather than `git archive`.
    let shipsPublicDirectory: Bool
    /// Django's settings module, for `--recipe django`.
    let djangoSettings: String?
    /// The shared directories: `logs`, and for Django the media directory its settings name.
    let sharedDirectories: [String]
    /// The environments, in order: each but the last a one-host rehearsal, the last the real fleet
    /// (`staging`, `prod` unless `deployer init --environments` names others).
    let environments: [String]
    /// What was read from the project rather than known, each with why: said at the top of the file.
    var guesses: [String] = []
    /// Whether a Django project's wheels are built on the controller (`python-wheels`): its requirements compile.
    let buildsWheels: Bool

    /// The file for `kind` and `app`, with the source and settings module
    /// read from the project in `directory` (a `public/` directory for a
    /// static site; the settings module `manage.py` sets for Django).
    init(kind: StarterRecipe, app: String, projectDirectory directory: String, environments: [String] = ["staging", "prod"]) {
        self.kind = kind
        self.app = app
        self.environments = environments
        shipsPublicDirectory = kind == .static && FileManager.default.directoryExists(atPath: directory + "/public")
        if kind == .django {
            let settings = ProjectGuess.productionSettings(Self.settingsModule(managePy: directory + "/manage.py", app: app),
                                                           in: directory)
            djangoSettings = settings.value
            guesses.append("django_settings \(settings.value): \(settings.reason)")
            let media = ProjectGuess.djangoMediaDirectory(settings: settings.value, in: directory)
            sharedDirectories = (media.value.map { [$0] } ?? []) + ["logs"]
            guesses.append("shared dir \(media.value ?? "(none for media)"): \(media.reason)")
        } else {
            djangoSettings = nil
            sharedDirectories = ["logs"]
        }
        let compiled = [.django, .pythonWheels].contains(kind) ? ProjectGuess.compiledPythonDependency(in: directory) : nil
        buildsWheels = kind == .django && compiled != nil
        if let compiled { guesses.append("python-wheels: " + compiled.reason) }
        if kind == .nodeBuild, let script = ProjectGuess.nodeBuildScript(in: directory) {
            guesses.append("node-build: " + script.reason)
        }
        if restartsService {
            guesses.append("systemd-service: the app runs as a systemd unit named \(app) on the hosts; "
                + "without systemd there, take it out of use: and add a task that restarts your app server")
        }
    }

    /// The module `manage.py` puts in `DJANGO_SETTINGS_MODULE`, else `APP.settings`
    /// (what `django-admin startproject` makes), with the app's `-` and `.` as `_`.
    static func settingsModule(managePy: String, app: String) -> String {
        let text = (try? String(contentsOfFile: managePy, encoding: .utf8)) ?? ""
        let pattern = #/DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([A-Za-z_][A-Za-z0-9_.]*)['"]/#
        if let match = text.firstMatch(of: pattern) { return String(match.1) }
        return app.replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: ".", with: "_") + ".settings"
    }

    /// The one-host environments that rehearse the last one.
    private var rehearsals: [String] { Array(environments.dropLast()) }

    /// The last environment: several hosts, rolling, health-checked.
    private var fleet: String { environments.last ?? "prod" }

    /// Whether the app runs as a service that `systemd-service` restarts after each switch.
    private var restartsService: Bool { [.django, .pythonWheels, .python, .nodeBuild, .node].contains(kind) }

    /// The roles every environment has, with what each one means.
    private var roles: [(name: String, meaning: String)] {
        var roles = [(name: "web", meaning: kind == .static ? "hosts whose web server serves \(Self.deployTo(app))/current" : "hosts that run the app")]
        if kind == .django { roles.append((name: "db", meaning: "its first host runs the migrations, once per push")) }
        return roles
    }

    private static func deployTo(_ app: String) -> String { "/srv/" + app }

    /// The recipes in `use:`.
    var recipes: [StarterRecipe] { [kind] + (buildsWheels ? [.pythonWheels] : []) + (restartsService ? [.systemd] : []) }

    /// The prod health check, as a YAML flow mapping, and what it checks.
    private var health: (yaml: String, meaning: String) {
        switch kind {
        case .django, .pythonWheels, .python:
            (#"{ http: "http://127.0.0.1:8000/", status: 200, grace: 2s, retries: 5, interval: 2s }"#,
             "the app server must answer this URL with 200 (curl on the host; use your port and path)")
        case .nodeBuild, .node:
            (#"{ http: "http://127.0.0.1:3000/", status: 200, grace: 2s, retries: 5, interval: 2s }"#,
             "the app must answer this URL with 200 (curl on the host; use your port and path)")
        case .static:
            (#"{ http: "http://localhost/", status: 200, retries: 3, interval: 1s }"#,
             "the web server must answer this URL with 200 (curl on the host)")
        case .systemd:
            (#"{ run: "systemctl is-active --quiet {{ app }}", grace: 2s, retries: 5, interval: 2s }"#,
             "systemd must report the unit active (exit status 0 is healthy)")
        }
    }

    /// The text of the file.
    var text: String {
        let width = recipes.map(\.builtIn.count).max() ?? 0
        let roleWidth = roles.map(\.name.count).max() ?? 0
        var lines: [String] = [
            "# How \(app) is deployed: `deployer init --recipe \(kind.rawValue)` wrote this file.",
            "# Every key is documented in deployer's docs/recipe-reference.md.",
            "# Replace the placeholder hosts below, then: deployer check; deployer plan \(environments[0])",
        ]
        if !guesses.isEmpty {
            lines.append("# Guessed from the project (check them):")
            lines += guesses.map { "#   " + $0 }
        }
        lines += [
            "",
            "# The application's name: {{ app }} in commands\(restartsService || kind == .systemd ? ", and the systemd unit restarted" : "").",
            "app: \(app)",
            "",
            "# Built-in recipes this file builds on, merged under it (keys set here win):",
        ]
        lines += recipes.map { "#   " + $0.builtIn.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.summary }
        lines += [
            "use: [\(recipes.map(\.builtIn).joined(separator: ", "))]",
            "",
            shipsPublicDirectory
                ? "# Where releases come from: the directory public/, uploaded as it is (build it before a push)."
                : "# Where releases come from: `git archive` of HEAD of this git work tree (add `revision: main` to pin one).",
            "source: " + (shipsPublicDirectory ? "{ dir: public }" : "{ git: . }"),
            "",
            "# The directory on each host that holds releases/, shared/, envs/ and the `current` symlink.",
            "deploy_to: \(Self.deployTo(app))",
            "",
            "# Releases kept on each host; older ones are pruned (never current nor the previous one).",
            "keep_releases: 5",
        ]
        if kind != .static {
            lines += [
                "",
                "# Directories under \(Self.deployTo(app))/shared/, linked into every release: they survive deploys.",
                "shared: { dirs: [\(sharedDirectories.joined(separator: ", "))] }",
            ]
        }
        if let djangoSettings {
            lines += [
                "",
                "# Template variables for every environment; an environment's own `vars` override them.",
                "vars:",
                "  django_settings: \(djangoSettings)   # Django's settings module (DJANGO_SETTINGS_MODULE)",
            ]
        }
        lines += [
            "",
            "# Where each environment deploys: role -> hosts. A host is an ssh_config alias or",
            "# [user@]host[:port]. Every environment has the same roles, so "
                + (rehearsals.isEmpty ? "adding a rehearsal is a copy." : rehearsals.joined(separator: " and ") + " rehearse\(rehearsals.count == 1 ? "s" : "") \(fleet)."),
            "environments:",
        ]
        for rehearsal in rehearsals {
            lines += [
                "  # A rehearsal of \(fleet) on one host.",
                "  \(rehearsal):",
                "    # Role -> hosts; this one host has every role.",
                "    hosts:",
            ]
            lines += roles.map { "      \($0.name):".padding(toLength: roleWidth + 7, withPad: " ", startingAt: 0) + " [\(rehearsal)1]   # " + $0.meaning }
        }
        lines += [
            "  # The real thing: several hosts, switched one batch at a time.",
            "  \(fleet):",
            "    # The same roles" + (rehearsals.isEmpty ? "" : " as \(rehearsals[0])") + ", on more hosts.",
            "    hosts:",
        ]
        lines += roles.map { role in
            "      \(role.name):".padding(toLength: roleWidth + 7, withPad: " ", startingAt: 0)
                + (role.name == "web" ? " [web1, web2, web3]" : " [web1]")
        }
        lines += [
            "    # A canary host first, then one host at a time, 5 s apart; on any failure every host",
            "    # already switched goes back to the release it ran.",
            "    rolling: { canary: 1, batch: 1, pause: 5s, max_failures: 0, on_failure: rollback }",
            "    # Each host must pass this check after its switch, before the next batch starts:",
            "    # " + health.meaning + ".",
            "    health: " + health.yaml,
            "",
            "# Your own commands, by name, run in the release directory at a phase (prepare,",
            "# before_switch, after_switch, after_rollback); for example:",
            "# tasks:",
            "#   notify:",
            "#     phase: after_switch",
            "#     roles: [web]",
            "#     once: true",
            "#     run: echo \"{{ app }} {{ release_id }} is live on {{ env }}\"",
            "",
        ]
        return lines.joined(separator: "\n")
    }
}
