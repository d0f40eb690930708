import DeployerCLI
import DeployerExecution
import Foundation
import Testing

/// `deployer init` as a user runs it: the built executable in a fresh
/// directory outside the repository, the file it writes, and `deployer check`
/// on that file.
@Suite struct InitCommandTests {
    /// A fresh project directory named `name` under the system's temporary directory, with `files` in it.
    private func project(_ name: String = "shop", files: [String] = []) throws -> String {
        let directory = NSTemporaryDirectory() + "deployer-init-" + UUID().uuidString + "/" + name
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for file in files {
            let path = directory + "/" + file
            if file.hasSuffix("/") {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } else {
                try "".write(toFile: path, atomically: true, encoding: .utf8)
            }
        }
        return directory
    }

    private func remove(_ project: String) { try? FileManager.default.removeItem(atPath: project + "/..") }

    private func deployer(_ arguments: [String], in directory: String) async throws -> DeployerRun {
        try await DeployerProcess(arguments, in: directory, sshConfig: "/dev/null").wait()
    }

    @Test(arguments: [("django", "django"), ("python", "python-virtualenv"), ("node", "node"),
                      ("python-wheels", "python-wheels"), ("node-build", "node-build"),
                      ("static", "static-site"), ("systemd", "systemd-service")])
    func everyRecipeWritesAFileThatChecks(kind: String, builtIn: String) async throws {
        let dir = try project()
        defer { remove(dir) }
        let written = try await deployer(["init", "--recipe", kind], in: dir)
        #expect(written.status == 0, "\(written.output)")
        #expect(written.output.contains("wrote deploy.yml"))
        #expect(written.output.contains("deployer check"))
        #expect(written.output.contains("deployer plan staging"))

        let text = try String(contentsOfFile: dir + "/deploy.yml", encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.contains { $0.hasPrefix("use: [\(builtIn)") }, "\(text)")
        for expected in ["app: shop", "deploy_to: /srv/shop", "source: ", "  staging:", "  prod:", "    rolling: ", "    health: "] {
            #expect(lines.contains { $0.hasPrefix(expected) }, "\(expected) in \(text)")
        }
        // Every key has a comment, on the line above or after it (role -> hosts lines are the values of `hosts`).
        for (index, line) in lines.enumerated() where line.range(of: #"^( {0,4})[a-z_]+:"#, options: .regularExpression) != nil {
            #expect(line.contains(" # ") || lines[index - 1].trimmingCharacters(in: .whitespaces).hasPrefix("#"),
                    "no comment for '\(line)' in \(text)")
        }

        let check = try await deployer(["check"], in: dir)
        #expect(check.status == 0, "\(text)\n\(check.output)")
        #expect(check.output.contains("ok — app shop, 2 environments"), "\(check.output)")
        #expect(check.output.contains("prod     3 hosts"), "\(check.output)")
    }

    @Test func environmentsAreNamedByTheUser() async throws {
        let dir = try project(files: ["requirements.txt"])
        defer { remove(dir) }
        let written = try await deployer(["init", "--environments", "qa,staging,production"], in: dir)
        #expect(written.status == 0, "\(written.output)")
        #expect(written.output.contains("qa (1 host) and staging (1 host) and production (3 hosts"), "\(written.output)")
        #expect(written.output.contains("deployer plan qa"), "\(written.output)")
        let text = try String(contentsOfFile: dir + "/deploy.yml", encoding: .utf8)
        for expected in ["  qa:\n", "[qa1]", "  staging:\n", "[staging1]", "  production:\n", "[web1, web2, web3]"] {
            #expect(text.contains(expected), "\(expected) in \(text)")
        }
        #expect(!text.contains("  prod:"))
        let check = try await deployer(["check"], in: dir)
        #expect(check.status == 0, "\(text)\n\(check.output)")
        #expect(check.output.contains("3 environments"), "\(check.output)")

        let refused = try await deployer(["init", "--force", "--environments", "prod,Prod Two"], in: dir)
        #expect(refused.status == 2 && refused.output.contains("'Prod Two' is not an environment name"), "\(refused.output)")
    }

    @Test(arguments: [(["manage.py", "requirements.txt"], "django"), (["requirements.txt"], "python"),
                      (["pyproject.toml"], "python"), (["package.json", "index.html"], "node"), (["index.html"], "static"),
                      (["public/"], "static"), (["shop.service"], "systemd")])
    func theRecipeIsGuessedFromTheProjectsFiles(files: [String], kind: String) async throws {
        let dir = try project(files: files)
        defer { remove(dir) }
        let run = try await deployer(["init"], in: dir)
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("detected a \(kind) project"), "\(run.output)")
        let check = try await deployer(["check"], in: dir)
        #expect(check.status == 0, "\(check.output)")
    }

    /// A project whose build belongs on the controller gets the recipe that builds it there, and the file
    /// says why: a build script in package.json (node-build), requirements that compile (python-wheels).
    @Test(arguments: [
        (["package.json": #"{"name": "shop", "scripts": {"build": "vite build"}}"#], "node-build",
         "use: [node-build, systemd-service]", "#   node-build: package.json has a build script (vite build)"),
        (["requirements.txt": "Django==5.2\npsycopg2==2.9.10\n", "manage.py": ""], "django",
         "use: [django, python-wheels, systemd-service]", "#   python-wheels: requirements.txt names psycopg2, compiled from source"),
        (["requirements.txt": "mysqlclient>=2.2 ; sys_platform == 'linux'\n"], "python-wheels",
         "use: [python-wheels, systemd-service]", "#   python-wheels: requirements.txt names mysqlclient, compiled from source"),
        (["setup.py": "setup(ext_modules=[Extension('fast', ['fast.c'])])\n", "pyproject.toml": ""], "python-wheels",
         "use: [python-wheels, systemd-service]", "#   python-wheels: setup.py builds a C extension"),
    ])
    func aProjectThatBuildsOnTheControllerGetsTheRecipeThatDoes(files: [String: String], kind: String, use: String,
                                                                 why: String) async throws {
        let dir = try project()
        defer { remove(dir) }
        for (file, text) in files { try text.write(toFile: dir + "/" + file, atomically: true, encoding: .utf8) }
        let run = try await deployer(["init"], in: dir)
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("detected a \(kind) project"), "\(run.output)")
        let written = try String(contentsOfFile: dir + "/deploy.yml", encoding: .utf8)
        #expect(written.contains("\n" + use + "\n"), "\(written)")
        #expect(written.contains(why), "\(written)")
        let check = try await deployer(["check"], in: dir)
        #expect(check.status == 0, "\(written)\n\(check.output)")
    }

    @Test func aProjectWithNoClueListsTheChoicesAndExits2() async throws {
        let dir = try project(files: ["README.md"])
        defer { remove(dir) }
        let run = try await deployer(["init"], in: dir)
        #expect(run.status == 2)
        for kind in ["django", "python-wheels", "python", "node-build", "node", "static", "systemd"] { #expect(run.output.contains("--recipe \(kind)"), "\(run.output)") }
        #expect(!FileManager.default.fileExists(atPath: dir + "/deploy.yml"))
    }

    @Test func anExistingDeployFileIsKeptUnlessForced() async throws {
        let dir = try project(files: ["manage.py"])
        defer { remove(dir) }
        try "app: mine\n".write(toFile: dir + "/deploy.yml", atomically: true, encoding: .utf8)
        let refused = try await deployer(["init"], in: dir)
        #expect(refused.status == 2)
        #expect(refused.output.contains("deploy.yml already exists"), "\(refused.output)")
        #expect(refused.output.contains("--force"))
        #expect(try String(contentsOfFile: dir + "/deploy.yml", encoding: .utf8) == "app: mine\n")
        let forced = try await deployer(["init", "--force"], in: dir)
        #expect(forced.status == 0, "\(forced.output)")
        #expect(try String(contentsOfFile: dir + "/deploy.yml", encoding: .utf8).contains("use: [django"))
    }

    @Test func appAndPathOptions() async throws {
        let dir = try project("My Shop.v2", files: ["app/", "app/package.json"])
        defer { remove(dir) }
        let named = try await deployer(["init", "--path", "app"], in: dir)
        #expect(named.status == 0, "\(named.output)")
        #expect(named.output.contains("wrote app/deploy.yml"), "\(named.output)")
        #expect(named.output.contains("deployer plan staging -f app/deploy.yml"), "\(named.output)")
        #expect(try String(contentsOfFile: dir + "/app/deploy.yml", encoding: .utf8).contains("app: app\n"))

        let sanitized = try await deployer(["init", "--recipe", "static"], in: dir)
        #expect(sanitized.status == 0, "\(sanitized.output)")
        let text = try String(contentsOfFile: dir + "/deploy.yml", encoding: .utf8)
        #expect(text.contains("app: my-shop.v2\n") && text.contains("deploy_to: /srv/my-shop.v2\n"), "\(text)")

        let explicit = try await deployer(["init", "--recipe", "django", "--app", "news-budget", "--force"], in: dir)
        #expect(explicit.status == 0, "\(explicit.output)")
        #expect(try String(contentsOfFile: dir + "/deploy.yml", encoding: .utf8).contains("django_settings: news_budget.settings"))

        let invalid = try await deployer(["init", "--recipe", "django", "--app", "my shop", "--force"], in: dir)
        #expect(invalid.status == 2)
        #expect(invalid.output.contains("--app 'my shop'"), "\(invalid.output)")
        let unknown = try await deployer(["init", "--recipe", "rails"], in: dir)
        #expect(unknown.status == 2)
        let missing = try await deployer(["init", "--path", "nowhere"], in: dir)
        #expect(missing.status == 2)
        #expect(missing.output.contains("no directory 'nowhere'"), "\(missing.output)")
    }

    @Test func djangoSettingsComeFromManagePy() async throws {
        let dir = try project()
        defer { remove(dir) }
        try #"os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsbudget.settings.prod")"#
            .write(toFile: dir + "/manage.py", atomically: true, encoding: .utf8)
        let run = try await deployer(["init"], in: dir)
        #expect(run.status == 0, "\(run.output)")
        #expect(try String(contentsOfFile: dir + "/deploy.yml", encoding: .utf8).contains("django_settings: newsbudget.settings.prod"))
    }

    /// A project whose manage.py points at its development settings, with production settings
    /// beside them and a name in pyproject.toml: init picks production's, the declared name, and says why.
    @Test func djangoInitPrefersProductionSettingsAndTheDeclaredNameAndSaysWhy() async throws {
        let dir = try project()
        defer { remove(dir) }
        try #"os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")"#
            .write(toFile: dir + "/manage.py", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: dir + "/config/settings", withIntermediateDirectories: true)
        for file in ["__init__", "base", "dev", "production"] {
            try "DEBUG = \(file == "dev" ? "True" : "False")\n".write(toFile: dir + "/config/settings/\(file).py", atomically: true,
                                                                      encoding: .utf8)
        }
        try "[project]\nname = \"news-budget\"\nversion = \"1.0\"\n".write(toFile: dir + "/pyproject.toml", atomically: true,
                                                                           encoding: .utf8)
        let run = try await deployer(["init"], in: dir)
        #expect(run.status == 0, "\(run.output)")
        let written = try String(contentsOfFile: dir + "/deploy.yml", encoding: .utf8)
        #expect(written.contains("django_settings: config.settings.production"), "\(written)")
        #expect(written.contains("app: news-budget"), "\(written)")
        #expect(written.contains("#   app news-budget: the name pyproject.toml declares"), "\(written)")
        #expect(written.contains("#   django_settings config.settings.production: manage.py sets config.settings.dev, "
            + "a development module"), "\(written)")
        #expect(try await deployer(["check"], in: dir).status == 0)
    }

    /// The media directory shared between releases is the one the settings name (`MEDIA_ROOT` in
    /// the package's base module), not always `media`; the systemd assumption is said (issue 15, item 11).
    @Test func djangoInitSharesTheMediaRootTheSettingsNameAndSaysSystemdIsAssumed() async throws {
        let dir = try project()
        defer { remove(dir) }
        try #"os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings.production")"#
            .write(toFile: dir + "/manage.py", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: dir + "/site_config/settings", withIntermediateDirectories: true)
        try "from .base import *\nDEBUG = False\n".write(toFile: dir + "/site_config/settings/production.py", atomically: true,
                                                        encoding: .utf8)
        try "BASE_DIR = Path(__file__).resolve().parent.parent.parent\nMEDIA_ROOT = BASE_DIR / \"uploads\"\n"
            .write(toFile: dir + "/site_config/settings/base.py", atomically: true, encoding: .utf8)
        let run = try await deployer(["init", "--recipe", "django"], in: dir)
        #expect(run.status == 0, "\(run.output)")
        let written = try String(contentsOfFile: dir + "/deploy.yml", encoding: .utf8)
        #expect(written.contains("shared: { dirs: [uploads, logs] }"), "\(written)")
        #expect(written.contains("#   shared dir uploads: the MEDIA_ROOT site_config/settings/base.py sets"), "\(written)")
        #expect(written.contains("#   systemd-service: the app runs as a systemd unit"), "\(written)")
        #expect(try await deployer(["check"], in: dir).status == 0)
    }

    /// An installed deployer (`PREFIX/bin/deployer`) finds the recipes installed
    /// beside it (`PREFIX/share/deployer/recipes`) before any source tree.
    @Test func installedRecipesAreFoundBesideTheExecutable() throws {
        let prefix = try project("prefix")
        defer { remove(prefix) }
        try FileManager.default.createDirectory(atPath: prefix + "/bin", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: prefix + "/share/deployer/recipes", withIntermediateDirectories: true)
        let found = RecipeDiscovery.recipesDirectory(environment: [:], executable: URL(fileURLWithPath: prefix + "/bin/deployer"))
        #expect(found == URL(fileURLWithPath: prefix + "/share/deployer/recipes").standardizedFileURL.path)
    }

    /// `Scripts/install` puts the binary, the recipes and completions under a
    /// prefix; the installed deployer writes and checks a recipe with the
    /// installed recipes (DEPLOYER_RECIPES would win, so it is unset).
    @Test func scriptsInstallMakesAWorkingInstallation() async throws {
        let prefix = try project("prefix")
        defer { remove(prefix) }
        let installed = try await ProcessRunner.run(Sandbox.repository + "/Scripts/install",
                                                    ["--prefix", prefix, "--binary", DeployerProcess.executable])
        #expect(installed.status == 0, "\(String(decoding: installed.stderr, as: UTF8.self))")
        for file in ["bin/deployer", "share/deployer/recipes/django.yml", "share/bash-completion/completions/deployer",
                     "share/zsh/site-functions/_deployer", "share/fish/vendor_completions.d/deployer.fish"] {
            #expect(FileManager.default.fileExists(atPath: prefix + "/" + file), "\(file) missing")
        }
        let app = try project("shop", files: ["requirements.txt"])
        defer { remove(app) }
        var environment = ProcessInfo.processInfo.environment
        environment["DEPLOYER_RECIPES"] = nil
        for arguments in [["init"], ["check"]] {
            let run = try await ProcessRunner.run(prefix + "/bin/deployer", arguments, currentDirectory: app, environment: environment)
            #expect(run.status == 0, "\(arguments): \(String(decoding: run.stdout + run.stderr, as: UTF8.self))")
        }
    }
}
