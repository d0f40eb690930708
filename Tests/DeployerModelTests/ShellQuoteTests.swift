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
    /// A plan tests a `creates` path on a host only when it is such a word (issue 21, item 1).
    @Test func inertWordsExpandToTheirOwnLetters() {
        for word in ["/srv/app/shared/seeded", "'/srv/app/shared'/seeded", "'/srv/my app'/x", "'/srv/it'\\''s'", "/a\\ b"] {
            #expect(ShellQuote.isInertWord(word), "\(word)")
        }
        for text in ["/srv/$(rm -rf /srv/app)", "/srv/`id`", "/srv/$HOME", "/srv/*", "~/x", "/a b", "/a;b", "/a|b",
                     "'/unclosed", "\"/srv\"", "/a\\\n", "", "/srv/x && rm -rf /"] {
            #expect(!ShellQuote.isInertWord(text), "\(text)")
        }
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
