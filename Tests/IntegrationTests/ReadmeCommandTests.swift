import ArgumentParser
import DeployerCLI
import Foundation
import Testing

/// Every `deployer …` command in the README's and docs' code blocks (the CLI
/// tour, the CI recipes, the examples) parses with today's CLI: a renamed
/// flag or subcommand breaks this test, not a reader's pipeline.
@Suite struct ReadmeCommandTests {
    static let documents = ["README.md", "docs/plan.md", "docs/rolling.md", "docs/json-events.md"]

    /// `(document:line, arguments)` of each command found in a fenced code block.
    static let commands: [(place: String, arguments: [String])] = documents.flatMap { name in
        let text = (try? String(contentsOfFile: Sandbox.repository + "/" + name, encoding: .utf8)) ?? ""
        var found: [(String, [String])] = []
        var inBlock = false
        for (number, line) in text.components(separatedBy: "\n").enumerated() {
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("```") { inBlock.toggle(); continue }
            guard inBlock, let arguments = deployerArguments(in: line) else { continue }
            found.append(("\(name):\(number + 1)", arguments))
        }
        return found
    }

    /// The words after a `deployer` word, up to the first shell operator or
    /// comment; nil when the line runs no deployer subcommand.
    static func deployerArguments(in line: String) -> [String]? {
        let words = shellWords(line).prefix { !$0.hasPrefix("#") }
        guard let start = words.firstIndex(where: { $0 == "deployer" || $0.hasSuffix("/deployer") }) else { return nil }
        let operators: Set<String> = ["|", "||", "&&", ";", ">", ">>", "2>&1", "<", "<<<"]
        let arguments = words[(start + 1)...].prefix { !operators.contains($0) && !$0.hasPrefix(">") }
        return arguments.isEmpty ? nil : Array(arguments)
    }

    /// Splits on blanks, keeping single- and double-quoted text together (quotes removed).
    static func shellWords(_ line: String) -> [String] {
        var words: [String] = [], word = "", quote: Character?, inWord = false
        for character in line {
            if let open = quote {
                if character == open { quote = nil } else { word.append(character) }
            } else if character == "'" || character == "\"" {
                quote = character; inWord = true
            } else if character == " " || character == "\t" {
                if inWord { words.append(word); word = ""; inWord = false }
            } else {
                word.append(character); inWord = true
            }
        }
        if inWord { words.append(word) }
        return words
    }

    @Test func theDocumentsShowCommands() {
        #expect(Self.commands.count >= 20)
        #expect(Self.commands.contains { $0.place.hasPrefix("README.md") && $0.arguments.first == "promote" })
    }

    @Test func everyDocumentedCommandParses() {
        for (place, arguments) in Self.commands {
            // --help, --version and --generate-completion-script parse to a clean exit.
            do {
                _ = try DeployerCommand.parseAsRoot(arguments)
            } catch {
                #expect(DeployerCommand.exitCode(for: error) == .success, "\(place): deployer \(arguments.joined(separator: " ")): \(error)")
            }
        }
    }

    /// The README's command reference has a row for every subcommand the CLI has.
    @Test func theCommandReferenceNamesEverySubcommand() throws {
        let readme = try String(contentsOfFile: Sandbox.repository + "/README.md", encoding: .utf8)
        for command in DeployerCommand.configuration.subcommands {
            let name = command.configuration.commandName ?? ""
            #expect(readme.contains("| `deployer \(name)"), "README's command reference has no row for \(name)")
        }
    }

    @Test func aMisspelledFlagIsCaught() {
        #expect(throws: (any Error).self) { _ = try DeployerCommand.parseAsRoot(["plan", "prod", "--detailed-exit-code"]) }
    }

    static var subcommands: [any ParsableCommand.Type] { DeployerCommand.configuration.subcommands }

    /// Each subcommand's help screen, by name, unwrapped.
    static let helpScreens: [String: String] = Dictionary(uniqueKeysWithValues: subcommands.map {
        ($0.configuration.commandName ?? "", DeployerCommand.helpMessage(for: $0, columns: 10_000))
    })

    /// The options a command's help lists: `-f`, `--file` and the like, from the start of each option line.
    static func options(of command: any ParsableCommand.Type) -> Set<String> {
        var found: Set<String> = []
        for line in help(of: command).components(separatedBy: "\n") {
            let words = line.trimmingCharacters(in: .whitespaces).split(separator: " ")
            for word in words {
                let name = word.hasSuffix(",") ? word.dropLast() : word
                guard name.hasPrefix("-") else { break }
                found.insert(String(name))
            }
        }
        return found
    }

    static func help(of command: any ParsableCommand.Type) -> String {
        helpScreens[command.configuration.commandName ?? ""] ?? ""
    }

    static func subcommand(named name: some StringProtocol) -> (any ParsableCommand.Type)? {
        subcommands.first { $0.configuration.commandName == String(name) }
    }

    /// The option names in a piece of README text: words that start with `-` and a letter, brackets and
    /// trailing punctuation removed (`[--to` → `--to`).
    static func optionNames(in text: some StringProtocol) -> [String] {
        text.split(whereSeparator: { " \t[]()".contains($0) }).compactMap { word in
            let name = word.prefix { $0.isLetter || $0.isNumber || $0 == "-" }
            guard name.hasPrefix("-"), name.dropFirst(name.hasPrefix("--") ? 2 : 1).first?.isLetter == true else { return nil }
            return String(name)
        }
    }

    /// The README's command reference rows: each row's command and the options its cells name, an option
    /// in a code span that starts with another command (`push --artifact` in build's row) counting for that one.
    static let referenceRows: [(place: String, command: String, options: [(command: String, name: String)])] = {
        let readme = (try? String(contentsOfFile: Sandbox.repository + "/README.md", encoding: .utf8)) ?? ""
        var rows: [(String, String, [(String, String)])] = []
        for (number, line) in readme.components(separatedBy: "\n").enumerated() where line.hasPrefix("| `deployer ") {
            let spans = line.components(separatedBy: "`").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
            guard let rowCommand = spans.first?.split(separator: " ").dropFirst().first else { continue }
            var options: [(String, String)] = []
            for span in spans {
                var words = span.split(separator: " ")
                if words.first == "deployer" { words.removeFirst() }
                let command = words.first.flatMap { subcommand(named: $0) != nil ? String($0) : nil } ?? String(rowCommand)
                options += optionNames(in: span).map { (command, $0) }
            }
            rows.append(("README.md:\(number + 1)", String(rowCommand), options))
        }
        return rows
    }()

    /// Each option the command reference names is an option of the command it names it for.
    @Test func everyOptionTheCommandReferenceNamesExists() {
        #expect(Self.referenceRows.count >= Self.subcommands.count)
        #expect(Self.referenceRows.map(\.options.count).reduce(0, +) >= 60)
        for row in Self.referenceRows {
            for option in row.options {
                guard let command = Self.subcommand(named: option.command) else {
                    Issue.record("\(row.place): no subcommand \(option.command)"); continue
                }
                #expect(Self.options(of: command).contains(option.name),
                        "\(row.place): deployer \(option.command) has no option \(option.name)")
            }
        }
    }

    /// Each option of each command is in the README or docs/*.md (under its long or short name), so
    /// none exists that only `deployer help` knows about.
    @Test func everyOptionIsDocumented() throws {
        let docs = try FileManager.default.contentsOfDirectory(atPath: Sandbox.repository + "/docs").filter { $0.hasSuffix(".md") }
        let text = try (["README.md"] + docs.map { "docs/" + $0 }).map {
            try String(contentsOfFile: Sandbox.repository + "/" + $0, encoding: .utf8)
        }.joined(separator: "\n")
        let documented = Set(Self.optionNames(in: text.replacingOccurrences(of: "`", with: " ")))
        for command in Self.subcommands {
            let name = command.configuration.commandName ?? ""
            let options = Self.options(of: command).subtracting(["-h", "--help", "--version"])
            #expect(options.count >= 2, "deployer \(name): \(options)")
            // An option with a short name (`-f, --file`) is documented under either.
            let help = Self.help(of: command)
            for option in options.sorted() where !documented.contains(option) {
                let pair = help.components(separatedBy: "\n").first { $0.contains(" \(option) ") || $0.contains(" \(option),") }
                let other = pair.map { Self.optionNames(in: $0.replacingOccurrences(of: ",", with: " ")).prefix(2) } ?? []
                #expect(other.contains { documented.contains($0) }, "deployer \(name) \(option) is in no document")
            }
        }
    }

    /// "`--hosts a,b` and `--roles web,worker` … limit `push`, `rollback`, … to some hosts": each command the
    /// sentence lists takes both, and each command that takes them is listed.
    @Test func theCommandsTheLimitSentenceListsTakeHostsAndRoles() throws {
        let readme = try String(contentsOfFile: Sandbox.repository + "/README.md", encoding: .utf8)
        let start = try #require(readme.range(of: "limit `push`"))
        let end = try #require(readme.range(of: " to some hosts", range: start.upperBound..<readme.endIndex))
        let sentence = readme[start.lowerBound..<end.lowerBound]
        let listed = Set(sentence.components(separatedBy: "`").enumerated().filter { $0.offset % 2 == 1 }
            .compactMap { $0.element.split(separator: " ").first.map(String.init) })
        #expect(listed.count >= 9, "\(sentence)")
        for command in Self.subcommands {
            let name = command.configuration.commandName ?? ""
            let limits = Self.options(of: command).isSuperset(of: ["--hosts", "--roles"])
            #expect(limits == listed.contains(name), "deployer \(name): takes --hosts and --roles: \(limits); listed: \(listed.contains(name))")
        }
    }

    /// "Every command that talks to hosts takes `-F SSH_CONFIG`, `--host-key-policy`, `--ssh-transport`,
    /// `--parallel N` (hosts worked on at once, default 100) and `--max-startups N`" with `--max-startups`'
    /// default 8. The commands that talk to hosts: all but init, check and graph (`diff --live` reads the
    /// hosts' releases, `build` asks them a build step's `host_probe`).
    @Test func everyCommandThatTalksToHostsTakesTheSSHOptions() {
        let connecting = ["diff", "build", "plan", "push", "switch", "promote", "rollback", "status", "releases", "unlock",
                          "shared", "maintenance", "task", "run", "doctor"]
        for name in connecting {
            guard let command = Self.subcommand(named: name) else { Issue.record("no subcommand \(name)"); continue }
            let options = Self.options(of: command)
            let missing = ["-F", "--host-key-policy", "--ssh-transport", "--parallel", "--max-startups"].filter { !options.contains($0) }
            #expect(missing.isEmpty, "deployer \(name) talks to hosts but has no \(missing.joined(separator: ", "))")
            let help = Self.help(of: command)
            for (option, fallback) in [("--parallel", "100"), ("--max-startups", "8")] where options.contains(option) {
                let line = help.components(separatedBy: "\n").first { $0.contains(" \(option) ") } ?? ""
                #expect(line.contains("(default: \(fallback))"), "deployer \(name): \(line)")
            }
        }
    }

    /// The `deployer …` lines of indented (four-space) code blocks in the README and docs/*.md: usage
    /// synopses (`deployer plan staging [--offline] …`, continued on lines that start with `[`) and
    /// transcripts (`$ deployer plan prod`), which the fenced-block check above does not read.
    static let indentedCommands: [(place: String, command: String, options: [String])] = {
        let docs = ((try? FileManager.default.contentsOfDirectory(atPath: Sandbox.repository + "/docs")) ?? [])
            .filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
        var found: [(String, String, [String])] = []
        for name in ["README.md"] + docs {
            let text = (try? String(contentsOfFile: Sandbox.repository + "/" + name, encoding: .utf8)) ?? ""
            let lines = text.components(separatedBy: "\n")
            for (number, line) in lines.enumerated() where line.hasPrefix("    ") {
                var command = line.trimmingCharacters(in: .whitespaces)
                if command.hasPrefix("$ ") { command.removeFirst(2) }
                guard command.hasPrefix("deployer ") else { continue }
                for next in lines.dropFirst(number + 1) {
                    let continued = next.trimmingCharacters(in: .whitespaces)
                    guard next.hasPrefix("    "), continued.hasPrefix("[") else { break }
                    command += " " + continued
                }
                guard let arguments = deployerArguments(in: command), let verb = arguments.first else { continue }
                found.append(("\(name):\(number + 1)", verb, optionNames(in: arguments.dropFirst().joined(separator: " "))))
            }
        }
        return found
    }()

    /// Each option an indented `deployer …` line shows is an option of its command.
    @Test func everyOptionInTheDocsIndentedCommandsExists() {
        #expect(Self.indentedCommands.count >= 8)
        for line in Self.indentedCommands {
            guard let command = Self.subcommand(named: line.command) else {
                Issue.record("\(line.place): no subcommand \(line.command)"); continue
            }
            for option in line.options {
                #expect(Self.options(of: command).contains(option), "\(line.place): deployer \(line.command) has no option \(option)")
            }
        }
    }
}
