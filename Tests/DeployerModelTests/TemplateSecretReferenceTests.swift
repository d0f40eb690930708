import DeployerModel
import Testing

/// Secrets render as references to the shell variables the host script
/// exports, never as their values.
@Suite struct TemplateSecretReferenceTests {
    @Test func aSecretBecomesAQuotedShellReference() throws {
        let template = try Template(parsing: "curl -H {{TOKEN}} {{url}} --data {{TOKEN | raw}}")
        let rendered = try template.render(["url": "https://x/?a=1&b=2", "TOKEN": "hunter2"], environmentReferences: ["TOKEN"])
        #expect(rendered == #"curl -H "${TOKEN}" 'https://x/?a=1&b=2' --data ${TOKEN}"#)
    }

    @Test func aSecretNeedsNoValueAtRenderTime() throws {
        #expect(try Template(parsing: "echo {{TOKEN}}").render([:], environmentReferences: ["TOKEN"]) == #"echo "${TOKEN}""#)
        #expect(throws: Template.UndefinedVariable.self) { try Template(parsing: "echo {{TOKEN}}").render([:]) }
    }
}
