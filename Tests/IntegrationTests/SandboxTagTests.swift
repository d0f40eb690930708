import Foundation
import Testing

/// `Scripts/test --unit` is "every suite except those tagged `.sandbox` (the ones that start sshd
/// hosts)", the skip list read from the sources: a suite that starts hosts without the tag would run
/// sshd in the fast tier. Each test file that starts sandbox hosts declares its suites with the tag
/// (IntegrationTests) or nests them in the tagged `SandboxSuites` (SSHTests).
@Suite struct SandboxTagTests {
    /// The test files under `directory` whose text contains `call`, with their text.
    static func files(under directory: String, calling call: String) -> [(path: String, text: String)] {
        let root = Sandbox.repository + "/Tests/" + directory
        let paths = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".swift") && !$0.hasPrefix("Support/") }.sorted()
        return paths.compactMap { path in
            guard let text = try? String(contentsOfFile: root + "/" + path, encoding: .utf8), text.contains(call) else { return nil }
            return ("Tests/\(directory)/\(path)", text)
        }
    }

    /// Each suite (its `@Suite` line, to the next one) whose tests start sandbox hosts carries the tag.
    @Test func everyIntegrationSuiteThatStartsHostsIsTaggedSandbox() {
        let starting = Self.files(under: "IntegrationTests", calling: "Sandbox.with(").filter { !$0.path.hasSuffix("/SandboxTagTests.swift") }
        #expect(starting.count >= 30)
        for file in starting {
            for suite in file.text.components(separatedBy: "@Suite").dropFirst() where suite.contains("Sandbox.with(") {
                let declaration = suite.prefix { $0 != "{" }
                #expect(declaration.contains(".tags(.sandbox)"), "\(file.path): @Suite\(declaration) starts sandbox hosts without .tags(.sandbox)")
            }
        }
    }

    @Test func everySSHSuiteThatStartsHostsNestsInSandboxSuites() {
        let starting = Self.files(under: "SSHTests", calling: "TestSandbox.with(")
        #expect(starting.count >= 10)
        for file in starting {
            #expect(file.text.contains("extension SandboxSuites {"), "\(file.path) starts sandbox hosts outside SandboxSuites")
        }
    }
}
