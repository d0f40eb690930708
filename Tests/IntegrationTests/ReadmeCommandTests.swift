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
}
