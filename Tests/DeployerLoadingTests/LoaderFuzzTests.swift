import DeployerLoading
import DeployerModel
import DeployerPlanning
import Foundation
import FuzzSupport
import Testing

/// Random and mutated YAML fed to the loader (seeded, so a failure is
/// reproducible): it never crashes or hangs, every failure is a list of
/// diagnostics pointing inside the file, and whatever loads also resolves
/// and graphs.
@Suite struct LoaderFuzzTests {
    typealias Generator = SplitMix64

    static let seeds: [String] = [
        RecipeLoaderTests.sketch,
        """
        app: x
        deploy_to: /srv/x
        environments:
          a: { hosts: { web: [h1, h2], db: [h1] }, rolling: { batch: 2, pause: 1s }, health: { http: "http://x/", status: 200 } }
          b: { hosts: { web: [h3], db: [h3] }, vars: { v: "1" } }
        vars: { v: "0" }
        tasks:
          t1: { phase: prepare, run: "echo {{ v }}", needs: [t2] }
          t2: { phase: prepare, run: "echo {{ app | raw }}", roles: [web] }
          t3: { phase: before_switch, once: true, roles: [db], run: migrate, timeout: 5m }
        """,
    ]

    static let alphabet = Array(":-[]{},#&*!|>'\"%@`? \n\n\n  \t\\{{}}abcdefghijklmnoprstuvwxyz0123456789_./~")

    static func mutate(_ text: String, using generator: inout Generator) -> String {
        var chars = Array(text)
        for _ in 0..<Int.random(in: 1...6, using: &generator) {
            let position = chars.isEmpty ? 0 : Int.random(in: 0..<chars.count, using: &generator)
            switch Int.random(in: 0..<6, using: &generator) {
            case 0 where !chars.isEmpty:
                let end = min(chars.count, position + Int.random(in: 1...20, using: &generator))
                chars.removeSubrange(position..<end)
            case 1:
                let inserted = (0..<Int.random(in: 1...8, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
                chars.insert(contentsOf: inserted, at: position)
            case 2:
                var lines = String(chars).split(separator: "\n", omittingEmptySubsequences: false)
                if lines.count > 1 {
                    let i = Int.random(in: 0..<lines.count, using: &generator), j = Int.random(in: 0..<lines.count, using: &generator)
                    lines.swapAt(i, j)
                }
                chars = Array(lines.joined(separator: "\n"))
            case 3:
                var lines = String(chars).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                if !lines.isEmpty {
                    let i = Int.random(in: 0..<lines.count, using: &generator)
                    lines.insert(lines[i], at: i)
                }
                chars = Array(lines.joined(separator: "\n"))
            case 4:
                var lines = String(chars).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                if !lines.isEmpty {
                    let i = Int.random(in: 0..<lines.count, using: &generator)
                    lines[i] = Bool.random(using: &generator) ? "  " + lines[i] : String(lines[i].drop { $0 == " " })
                }
                chars = Array(lines.joined(separator: "\n"))
            default:
                if !chars.isEmpty { chars[position] = alphabet.randomElement(using: &generator)! }
            }
        }
        return String(chars)
    }

    static func randomDocument(using generator: inout Generator) -> String {
        String((0..<Int.random(in: 0...300, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
    }

    @Test(arguments: 0..<16) func mutatedAndRandomYAMLOnlyEverGivesDiagnostics(_ batch: Int) throws {
        var generator = Generator(state: UInt64(batch) &* 7919 &+ 1)
        let loader = RecipeLoader(recipesDirectory: nil, readFile: { _ in throw CocoaError(.fileNoSuchFile) })
        for round in 0..<300 {
            let text = round % 4 == 3 ? Self.randomDocument(using: &generator)
                                       : Self.mutate(Self.seeds[round % Self.seeds.count], using: &generator)
            let lineCount = text.split(separator: "\n", omittingEmptySubsequences: false).count
            let started = ContinuousClock.now
            switch loader.load(text: text, path: "fuzz.yml") {
            case let .success(recipe):
                for name in recipe.environmentNames {
                    let resolved = try loader.resolve(recipe, environment: name)
                    _ = TaskGraph(resolved).renderText()
                }
            case let .failure(error):
                #expect(!error.diagnostics.isEmpty)
                for diagnostic in error.diagnostics {
                    // Every diagnostic points into the file (used recipes cannot be read here, and say so at the `use` entry).
                    let location = try #require(diagnostic.location, "no location: \(diagnostic.message)\n\(text)")
                    #expect(location.file == "fuzz.yml")
                    #expect((1...max(lineCount, 1)).contains(location.line), "line out of range: \(diagnostic.headline)\n\(text)")
                    #expect(!diagnostic.message.isEmpty)
                }
            }
            #expect(ContinuousClock.now - started < .seconds(2), "slow input:\n\(text)")
        }
    }

    /// libyaml ends a line at CR LF, a lone CR and NEL as well as LF; the diagnostics of such a file point at the
    /// same line and column as for the LF file, and show that line (found by Scripts/fuzz).
    @Test(arguments: ["\r\n", "\r", "\u{85}"]) func otherLineBreaksGiveTheSameLocations(_ lineBreak: String) throws {
        let lines = ["app: x", "deploy_to: /srv/x", "environments: { a: { hosts: { web: [h] } } }", "tasks:", "  t: { phase: prepare, rn: x }", ""]
        let loader = RecipeLoader(recipesDirectory: nil)
        func rendered(_ text: String) throws -> [String] {
            guard case let .failure(error) = loader.load(text: text, path: "deploy.yml") else { throw CocoaError(.featureUnsupported) }
            return error.diagnostics.map { $0.rendered(source: error.sources["deploy.yml"]) }
        }
        let expected = try rendered(lines.joined(separator: "\n"))
        #expect(expected.contains { $0.hasPrefix("deploy.yml:5:") && $0.contains("\n  t: { phase: prepare, rn: x }\n") })
        #expect(try rendered(lines.joined(separator: lineBreak)) == expected)
    }

    /// A 1 MB string anchored once and aliased 1,000 times (a 1 MB file standing for 1 GB of text) is refused at
    /// the anchor: each alias's text counts toward `YAMLExpansionBudget.maximumAliasedBytes`. Bounded by that
    /// refusal, not by a clock (a 5 s limit failed at 5.04 s on a loaded machine).
    @Test func aliasesOfALongStringAreBoundedByTheirSize() throws {
        var lines = ["app: demo", "x-big: &big " + String(repeating: "a", count: 1 << 20), "vars:"]
        for i in 0..<1_000 { lines.append("  v\(i): *big") }
        let result = RecipeLoader(recipesDirectory: nil).load(text: lines.joined(separator: "\n"), path: "deploy.yml")
        guard case let .failure(error) = result else { Issue.record("1 GB of aliased text loaded"); return }
        let diagnostic = try #require(error.diagnostics.first)
        #expect(diagnostic.message.contains("expands to more than 16 MB of text"), "\(diagnostic.message)")
        #expect(diagnostic.location == SourceLocation(file: "deploy.yml", line: 2, column: 8))
        // The excerpt is a window of the megabyte-long line, its caret still under the anchor.
        let rendered = diagnostic.rendered(source: error.sources["deploy.yml"]).split(separator: "\n")
        #expect(rendered[1] == "x-big: &big " + String(repeating: "a", count: Diagnostic.excerptWidth - 12) + "…")
        #expect(rendered[2] == "       ^~~~")
    }

    @Test func aliasBombIsBounded() {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for i in 1...8 { lines.append("a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]") }
        // Bounded by the expansion budget's refusal, not by a clock (speed is for Benchmarks/, and a
        // loaded CI machine made a 5 s limit fail at 6.3 s).
        let result = RecipeLoader(recipesDirectory: nil).load(text: lines.joined(separator: "\n"), path: "bomb.yml")
        if case let .failure(error) = result {
            #expect(error.diagnostics.contains { $0.message.contains("expands to more than") })
        } else {
            Issue.record("the alias bomb loaded")
        }
    }
}
