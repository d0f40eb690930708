import Testing
@testable import SSH

@Suite("Script end scanner")
struct ScriptEndScannerTests {
    private let token = "\u{1}deployer-script-end-abc"

    private func feed(_ pieces: [String]) -> (passed: String, trailer: String?) {
        var scanner = ScriptEndScanner(token: token)
        var passed: [UInt8] = []
        for piece in pieces { passed += scanner.feed(Array(piece.utf8)) }
        return (String(decoding: passed, as: UTF8.self), scanner.trailer.map { String(decoding: $0, as: UTF8.self) })
    }

    @Test func outputBeforeTheEndLineIsPassedOnAndTheLineIsNot() {
        let result = feed(["one\ntwo\n\(token) 3\n"])
        #expect(result.passed == "one\ntwo\n")
        #expect(result.trailer == " 3")
    }

    /// The token followed by a flood without a newline is not the end line: it is passed on as it
    /// comes (the scanner used to hold all of it, copied again with every read, waiting for a newline).
    @Test func aTokenFollowedByAFloodWithoutANewlineIsPassedOnNotHeld() {
        var scanner = ScriptEndScanner(token: token)
        var passed = scanner.feed(Array(token.utf8))
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 32 << 10)
        for _ in 0..<64 { passed += scanner.feed(chunk) }
        #expect(passed.count >= token.utf8.count + 64 * chunk.count - token.utf8.count, "held back \(token.utf8.count + 64 * chunk.count - passed.count) bytes")
        #expect(scanner.trailer == nil)
        passed += scanner.feed(Array("\n\(token) 0\n".utf8))
        #expect(scanner.trailer == Array(" 0".utf8))
        #expect(passed.count == token.utf8.count + 64 * chunk.count + 1)
    }

    @Test func anEndLineSplitAnywhereIsFound() {
        let whole = "out without newline\(token) 0\n"
        for cut in 1..<whole.utf8.count {
            let bytes = Array(whole.utf8)
            let result = feed([String(decoding: bytes[..<cut], as: UTF8.self), String(decoding: bytes[cut...], as: UTF8.self)])
            #expect(result.passed == "out without newline", "cut at \(cut)")
            #expect(result.trailer == " 0", "cut at \(cut)")
        }
    }

    @Test func somethingLikeTheTokenIsOutput() {
        let result = feed(["\u{1}deployer-script-end-abd 1\n", "\u{1}deploy"])
        #expect(result.passed == "\u{1}deployer-script-end-abd 1\n")
        #expect(result.trailer == nil)
    }

    @Test func theTokenWithoutItsNewlineIsHeldUntilItComes() {
        var scanner = ScriptEndScanner(token: token)
        #expect(scanner.feed(Array("a\(token) 12".utf8)) == Array("a".utf8))
        #expect(scanner.trailer == nil)
        #expect(scanner.feed(Array("7\n".utf8)).isEmpty)
        #expect(scanner.trailer == Array(" 127".utf8))
    }
}
