import Testing
@testable import DeployerModel

@Suite("Remote shell")
struct RemoteShellTests {
    @Test func commandsAreWrappedAsOneQuotedWord() {
        #expect(RemoteShell.posix.wrap("echo 'hi'") == "sh -c 'echo '\\''hi'\\'''")
        #expect(RemoteShell.login.wrap("true") == "bash -lc true")
        #expect(RemoteShell.custom("zsh -lc").wrap("true") == "zsh -lc true")
    }

    @Test func aScriptIsReadFromStandardInputWithAsFewShellsAsTheWrapperAllows() {
        #expect(RemoteShell.posix.scriptReader == "sh -s")
        #expect(RemoteShell.login.scriptReader == "bash -lc 'sh -s'")
        #expect(RemoteShell.custom("zsh -lc").scriptReader == "zsh -lc 'sh -s'")
    }
}
