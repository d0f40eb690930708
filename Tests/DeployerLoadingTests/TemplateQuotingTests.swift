import DeployerExecution
import DeployerLoading
import DeployerModel
import Foundation
import Testing

/// Hostile values substituted into a task's command are inert: the rendered
/// command, run by `/bin/sh -c` in a temporary directory, prints each value
/// back exactly and executes nothing (no marker file appears).
@Suite struct TemplateQuotingTests {
    static let hostile: [String] = [
        "it's",
        "$(touch pwned)",
        "`touch pwned`",
        "a; touch pwned",
        "line1\ntouch pwned",
        "x' ; touch pwned ; echo '",
        "\"; touch pwned; echo \"",
        "$HOME ${PATH} $((1+1))",
        "| touch pwned",
        "&& touch pwned &",
        "> pwned",
        "*",
        "-n",
        "",
        "\\'\\\"",
        "é ünïcödé \t tab",
        "'\u{301}; touch pwned; echo '\u{301}",
    ]

    @Test(arguments: hostile.indices) func hostileValueIsOneInertWord(_ index: Int) throws {
        let value = Self.hostile[index]
        let recipe = """
            app: shop
            deploy_to: /srv/shop
            vars: { value: \(Self.yamlQuoted(value)) }
            environments: { prod: { hosts: { web: [web1] } } }
            tasks:
              echo:
                phase: prepare
                run: printf '%s' {{ value }} > out
            """
        let loader = RecipeLoader(recipesDirectory: nil)
        let loaded = try loader.load(text: recipe, path: "deploy.yml").get()
        let resolved = try loader.resolve(loaded, environment: "prod")
        #expect(resolved.vars["value"] == value)
        let command = try resolved.tasks[0].run.render(resolved.vars)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deployer-quoting-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let shell = try ChildProcess("/bin/sh", ["-c", command], currentDirectory: directory.path, stdout: .inherit, stderr: .inherit)
        #expect(shell.waitForExit().succeeded)
        let contents = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(contents == ["out"], "something besides 'out' was created: \(contents)")
        let printed = try String(contentsOf: directory.appendingPathComponent("out"), encoding: .utf8)
        #expect(printed == value)
    }

    /// A YAML double-quoted scalar holding exactly `text`.
    static func yamlQuoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    @Test func rawFormInsertsTextAsWritten() throws {
        let template = try Template(parsing: "echo {{ flags | raw }} {{ flags }}")
        #expect(try template.render(["flags": "-n x"]) == "echo -n x '-n x'")
    }
}
