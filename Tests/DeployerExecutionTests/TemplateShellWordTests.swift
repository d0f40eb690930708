import DeployerExecution
import DeployerModel
import Foundation
import Testing

/// A template that is an argument of a command (a health check's URL) renders
/// as one shell word that the shell expands to exactly the text: it was quoted
/// twice once, so a value needing quotes reached curl with the quotes in it.
@Suite struct TemplateShellWordTests {
    /// What `/bin/sh` makes of `word`: `printf %s WORD`.
    static func expand(_ word: String, environment: [String: String] = [:]) throws -> String {
        let shell = try ChildProcess("/bin/sh", ["-c", "printf %s " + word], environment: environment, stderr: .inherit)
        let text = String(decoding: shell.standardOutput!.readToEndRetryingInterrupts(), as: UTF8.self)
        _ = shell.waitForExit()
        return text
    }

    @Test(arguments: ["plain", "x y'z", "&;$(touch /tmp/pwned)", "", "ä\"\\"])
    func aWordExpandsToTheText(_ value: String) throws {
        let template = try Template(parsing: "http://localhost/health?a=1&b={{v}}#{{ v }} (x)")
        let word = try template.renderWord(["v": value])
        #expect(try Self.expand(word) == "http://localhost/health?a=1&b=\(value)#\(value) (x)")
    }

    @Test func secretsAndEmptyTemplates() throws {
        #expect(try Self.expand(try Template(parsing: "https://h/?t={{TOKEN}}").renderWord([:], environmentReferences: ["TOKEN"]),
                                environment: ["TOKEN": "a b&c"]) == "https://h/?t=a b&c")
        #expect(try Template(parsing: "").renderWord([:]) == "''")
    }
}
