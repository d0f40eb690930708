import Testing
import DeployerModel

@Suite struct ShellQuoteTests {
    @Test func safeWordsStayBare() {
        #expect(ShellQuote.quote("/srv/app/releases/20261129T034500Z-3f2a9c1") == "/srv/app/releases/20261129T034500Z-3f2a9c1")
    }
    @Test func singleQuotesAreEscaped() {
        #expect(ShellQuote.quote("it's") == "'it'\\''s'")
        #expect(ShellQuote.quote("") == "''")
        #expect(ShellQuote.quote("$(rm -rf /)") == "'$(rm -rf /)'")
    }
    /// `'` plus a combining mark is one `Character` but the shell reads the `'` alone (found by Scripts/fuzz).
    @Test func quoteBeforeCombiningMarkIsEscaped() {
        #expect(ShellQuote.quote("'\u{301}; touch x") == "''\\''\u{301}; touch x'")
        #expect(ShellQuote.quote("e\u{301}") == "'e\u{301}'")
    }
    @Test func templateQuotesByDefaultAndRawOnRequest() throws {
        let t = try Template(parsing: "echo {{ msg }} {{cmd|raw}}")
        #expect(t.variables == ["msg", "cmd"])
        #expect(try t.render(["msg": "a b", "cmd": "| wc -c"]) == "echo 'a b' | wc -c")
    }
    @Test func hostAddressParsing() {
        let a = HostAddress(parsing: "deploy@10.0.0.1:2222")
        #expect(a?.user == "deploy")
        #expect(a?.host == "10.0.0.1")
        #expect(a?.port == 2222)
        #expect(HostAddress(parsing: "web1")?.port == nil)
        #expect(HostAddress(parsing: "[::1]:22")?.host == "::1")
        #expect(HostAddress(parsing: "a:b") == nil)
    }
}
