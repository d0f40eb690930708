import Synchronization
import Testing
@testable import DeployerExecution

/// The two line splitters over `LineBuffer`: lines cut anywhere by the chunks they arrive in come out
/// whole and in order; a line without end is bounded as each splitter promises.
@Suite struct LineSplitterTests {
    @Test func linesCutAcrossChunksComeOutWholeAndInOrder() {
        let lines = Mutex<[String]>([])
        let splitter = OutputLineSplitter { line in lines.withLock { $0.append(line) } }
        for chunk in ["one\ntw", "o", "\n", "\nthr", "ee"] { splitter.feed(Array(chunk.utf8)) }
        splitter.finish()
        #expect(lines.withLock { $0 } == ["one", "two", "", "three"])
    }

    @Test func outputWithoutNewlinesIsHandedOnInBoundedPiecesCutBetweenCharacters() {
        let lines = Mutex<[String]>([])
        let splitter = OutputLineSplitter { line in lines.withLock { $0.append(line) } }
        let text = String(repeating: "é", count: OutputLineSplitter.maximumLineBytes)  // two bytes each
        splitter.feed(Array(text.utf8))
        splitter.finish()
        let pieces = lines.withLock { $0 }
        #expect(pieces.count == 2 && pieces.joined() == text)
        #expect(pieces.allSatisfy { $0.utf8.count <= OutputLineSplitter.maximumLineBytes })
    }

    @Test func aMarkerAfterAnOverlongLineIsStillFound() {
        let markers = Mutex<[ScriptMarker]>([])
        let splitter = MarkerLineSplitter { marker in markers.withLock { $0.append(marker) } }
        splitter.feed(Array(repeating: UInt8(ascii: "x"), count: 3 * MarkerLineSplitter.maximumLineBytes))
        let line = "garbage " + ScriptMarker.prefix + "lock-age 12\n"
        for byte in line.utf8 { splitter.feed([byte]) }
        #expect(markers.withLock { $0.count } == 1)
    }
}
