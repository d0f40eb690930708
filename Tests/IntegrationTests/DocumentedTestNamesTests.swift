import Foundation
import Testing

/// The README and docs/*.md back their claims by naming tests: a suite
/// (`LimitTests`), one test (`LockTests.aStalledRunsLock…`) or a file
/// (`Tests/IntegrationTests/DiskBoundTests.swift`). Each name must still be a
/// test, so renaming or deleting one breaks this suite rather than leaving a
/// claim that points at nothing.
@Suite struct DocumentedTestNamesTests {
    /// A test named by a document, where it is named.
    struct Citation: CustomStringConvertible {
        var place: String
        var suite: String
        var test: String?
        var description: String { "\(place): \(suite)" + (test.map { "." + $0 } ?? "") }
    }

    static let documents: [String] = {
        let docs = (try? FileManager.default.contentsOfDirectory(atPath: Sandbox.repository + "/docs")) ?? []
        return ["README.md"] + docs.filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
    }()

    static func text(_ path: String) -> String {
        (try? String(contentsOfFile: Sandbox.repository + "/" + path, encoding: .utf8)) ?? ""
    }

    /// Every Swift file under Tests/, by its path from the repository's root.
    static let testFiles: [String] = {
        let enumerator = FileManager.default.enumerator(atPath: Sandbox.repository + "/Tests")
        return (enumerator?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".swift") }.map { "Tests/" + $0 }.sorted()
    }()

    /// Per test file, the types it declares or extends and the functions it declares, by name.
    static let declarations: [String: (types: Set<String>, functions: Set<String>)] = Dictionary(uniqueKeysWithValues:
        testFiles.map { file in
            let words = text(file).split(whereSeparator: { !isNamePart($0) })
            var types: Set<String> = [], functions: Set<String> = []
            for (keyword, name) in zip(words, words.dropFirst()) {
                if ["struct", "class", "enum", "actor", "extension"].contains(keyword) { types.insert(String(name)) }
                if keyword == "func" { functions.insert(String(name)) }
            }
            return (file, (types, functions))
        })

    /// A name made of letters and digits that ends in `Tests`, optionally followed by `.test`, and is
    /// not part of a path (`…/IntegrationTests/…`) or a file name (`…Tests.swift`).
    static func citations(in text: String, document: String) -> [Citation] {
        var found: [Citation] = []
        for (number, line) in text.components(separatedBy: "\n").enumerated() {
            let characters = Array(line)
            var index = 0
            while index < characters.count {
                guard characters[index].isUppercase, index == 0 || !isNamePart(characters[index - 1]) else {
                    index += 1; continue
                }
                var end = index
                while end < characters.count, isNamePart(characters[end]) { end += 1 }
                let word = String(characters[index..<end])
                defer { index = end }
                guard word.hasSuffix("Tests"), word != "Tests", index == 0 || characters[index - 1] != "/" else { continue }
                if end < characters.count, characters[end] == "/" { continue }
                var test: String?
                if end + 1 < characters.count, characters[end] == ".", characters[end + 1].isLowercase {
                    var testEnd = end + 1
                    while testEnd < characters.count, isNamePart(characters[testEnd]) { testEnd += 1 }
                    let name = String(characters[(end + 1)..<testEnd])
                    if name == "swift" { continue }
                    test = name
                }
                found.append(Citation(place: "\(document):\(number + 1)", suite: word, test: test))
            }
        }
        return found
    }

    static func isNamePart(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_"
    }

    static let citations: [Citation] = documents.flatMap { citations(in: text($0), document: $0) }

    /// The files that declare `suite` or extend it.
    static func files(declaring suite: String) -> [String] {
        testFiles.filter { declarations[$0]!.types.contains(suite) }
    }

    @Test func theDocumentsNameTests() {
        #expect(Self.citations.count >= 100, "\(Self.citations.count) citations")
        #expect(Self.citations.contains { $0.suite == "LockTests" && $0.test != nil })
    }

    @Test func everyNamedSuiteAndTestExists() {
        for citation in Self.citations {
            let files = Self.files(declaring: citation.suite)
            #expect(!files.isEmpty, "\(citation): no suite \(citation.suite) under Tests/")
            guard let test = citation.test, !files.isEmpty else { continue }
            let declared = files.contains { Self.declarations[$0]!.functions.contains(test) }
            #expect(declared, "\(citation): \(citation.suite) (\(files.joined(separator: ", "))) has no test \(test)")
        }
    }

    @Test func everyNamedTestFileExists() {
        var named = 0
        for document in Self.documents {
            for (number, line) in Self.text(document).components(separatedBy: "\n").enumerated() {
                for word in line.split(whereSeparator: { " `(),;:".contains($0) }) where word.hasPrefix("Tests/") {
                    let path = word.hasSuffix(".") ? String(word.dropLast()) : String(word)
                    guard path.hasSuffix(".swift") else { continue }
                    named += 1
                    #expect(Self.declarations[path] != nil, "\(document):\(number + 1): \(path) does not exist")
                }
            }
        }
        #expect(named >= 5)
    }
}
