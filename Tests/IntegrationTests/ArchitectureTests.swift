import Foundation
import Testing

/// The README's Architecture table says what each target must not do; Package.swift holds the
/// dependency direction, and these checks of the sources hold the rest.
@Suite struct ArchitectureTests {
    /// Each Swift file of `target` (under Sources/), by its path from the repository, with its text.
    static func sources(of target: String) -> [(path: String, text: String)] {
        let root = Sandbox.repository + "/Sources/" + target
        let files = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".swift") }
        return files.sorted().compactMap { file in
            (try? String(contentsOfFile: root + "/" + file, encoding: .utf8)).map { ("Sources/\(target)/\(file)", $0) }
        }
    }

    /// The lines of `text` that are code: comments (whole-line `//` and `///`) left out.
    static func codeLines(_ text: String) -> [String] {
        text.components(separatedBy: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }
    }

    static let targets = ["CLibSSH2", "SSH", "DeployerModel", "DeployerLoading", "DeployerPlanning", "DeployerExecution",
                          "DeployerReporting", "DeployerCLI", "DeployerBuildInfo"]

    /// "DeployerLoading: the only importer of Yams".
    @Test func onlyDeployerLoadingImportsYams() {
        for target in Self.targets where target != "DeployerLoading" {
            for file in Self.sources(of: target) {
                #expect(!Self.codeLines(file.text).contains { $0.hasPrefix("import Yams") }, "\(file.path) imports Yams")
            }
        }
        #expect(Self.sources(of: "DeployerLoading").contains { $0.text.contains("import Yams") })
    }

    /// "DeployerModel: must not do any I/O"; "DeployerPlanning: must not do any I/O".
    @Test(arguments: ["DeployerModel", "DeployerPlanning"])
    func aPureTargetDoesNoIO(target: String) {
        let io = ["FileManager", "FileHandle", "ProcessInfo", "Process(", "URLSession", "contentsOfFile", "fopen(", "NSHomeDirectory"]
        let files = Self.sources(of: target)
        #expect(files.count >= 10)
        for file in files {
            for line in Self.codeLines(file.text) {
                #expect(!io.contains { line.contains($0) }, "\(file.path): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
    }

    /// "DeployerExecution: must not print (it emits events)".
    @Test func deployerExecutionPrintsNothing() {
        let printing = ["print(", "FileHandle.standardOutput", "FileHandle.standardError", "fputs(", "putchar("]
        for file in Self.sources(of: "DeployerExecution") {
            for line in Self.codeLines(file.text) {
                #expect(!printing.contains { line.contains($0) }, "\(file.path): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
    }

    /// "DeployerReporting: must not talk to hosts"; "SSH: must not know about recipes".
    @Test func reportingTalksToNoHostAndSSHKnowsNoRecipe() {
        for (target, forbidden) in [("DeployerReporting", ["import SSH", "import DeployerExecution"]),
                                    ("SSH", ["import DeployerModel", "import DeployerLoading", "import DeployerExecution"])] {
            for file in Self.sources(of: target) {
                for line in Self.codeLines(file.text) {
                    #expect(!forbidden.contains { line.hasPrefix($0) || line.hasPrefix("@testable " + $0) }, "\(file.path): \(line)")
                }
            }
        }
    }
}
