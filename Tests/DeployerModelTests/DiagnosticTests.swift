import DeployerModel
import Testing

@Suite struct DiagnosticTests {
    @Test func sortsByNumericPositionNotText() {
        let at = { (line: Int, column: Int) in SourceLocation(file: "deploy.yml", line: line, column: column) }
        let error = DiagnosticsError([.error("c", at: at(14, 7)), .error("b", at: at(9, 1)), .error("a", at: at(9, 12)),
                                      .error("none")])
        #expect(error.diagnostics.map(\.message) == ["none", "b", "a", "c"])
    }

    @Test func rendersHeadlineSourceLineAndCaret() {
        let source = "tasks:\n  restart:\n    rols: [web]\n"
        let diagnostic = Diagnostic.error("unknown key 'rols' in task 'restart'; did you mean 'roles'?",
                                          at: SourceLocation(file: "deploy.yml", line: 3, column: 5), note: "see docs")
        #expect(diagnostic.rendered(source: source) == """
            deploy.yml:3:5: error: unknown key 'rols' in task 'restart'; did you mean 'roles'?
                rols: [web]
                ^~~~
            note: see docs
            """)
    }

    @Test func underlinesAWholePlaceholder() {
        let diagnostic = Diagnostic.error("undefined variable 'relase'", at: SourceLocation(file: "d.yml", line: 1, column: 11))
        #expect(diagnostic.rendered(source: "run: echo {{ relase }} x") == """
            d.yml:1:11: error: undefined variable 'relase'
            run: echo {{ relase }} x
                      ^~~~~~~~~~~~
            """)
    }

    @Test func underlinesAQuotedScalarWithItsQuotes() {
        let diagnostic = Diagnostic.error("expected true or false", at: SourceLocation(file: "d.yml", line: 1, column: 8))
        #expect(diagnostic.rendered(source: "local: \"true\" # no") == """
            d.yml:1:8: error: expected true or false
            local: "true" # no
                   ^~~~~~
            """)
    }

    @Test func templateRecordsWhereEachPlaceholderStarts() throws {
        let template = try Template(parsing: "cd {{ release }} && echo {{msg|raw}}")
        #expect(template.variableOffsets == [3, 25])
    }
}
