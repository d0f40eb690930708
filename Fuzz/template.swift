import DeployerModel

/// The template engine and shell quoting: a template either parses (and then
/// renders with every variable defined, each quoted value one shell word that
/// reads back as the value) or fails at an offset inside the source.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTemplate(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = fuzzText(start, count)
    require(unquote(ShellQuote.quote(text)) == text, "quote does not read back: \(ShellQuote.quote(text).debugDescription)")
    let template: Template
    do {
        template = try Template(parsing: text)
    } catch {
        require((0..<max(text.count, 1)).contains(error.offset), "offset \(error.offset) of \(text.count)")
        require(!error.message.isEmpty, "empty message")
        return 0
    }
    require(template.source == text, "source changed")
    require(template.variableOffsets.count == template.segments.filter { if case .variable = $0 { true } else { false } }.count,
            "one offset per variable")
    // Values taken from the input itself, so hostile text reaches the quoting.
    let pieces = text.split(separator: "}", omittingEmptySubsequences: false).map(String.init)
    let values = Dictionary(template.variables.enumerated().map { ($1, pieces[$0 % pieces.count]) }, uniquingKeysWith: { a, _ in a })
    do {
        let rendered = try template.render(values)
        for case let .variable(name, raw) in template.segments {
            let value = values[name]!
            require(rendered.contains(raw ? value : ShellQuote.quote(value)), "\(name) missing from the rendering")
        }
    } catch {
        require(false, "undefined variable \(error.name) though all were defined")
    }
    return 0
}

/// Reads one POSIX `sh` word made by `ShellQuote.quote` back, byte by byte as
/// the shell does; nil when any byte would be special to the shell.
func unquote(_ word: String) -> String? {
    let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%_+=:,./-".utf8)
    var out: [UInt8] = []
    var quoted = false
    var bytes = Array(word.utf8)[...]
    while let byte = bytes.popFirst() {
        if quoted {
            if byte == UInt8(ascii: "'") { quoted = false } else { out.append(byte) }
        } else if byte == UInt8(ascii: "'") {
            quoted = true
        } else if byte == UInt8(ascii: "\\"), let next = bytes.popFirst() {
            out.append(next)
        } else if safe.contains(byte) {
            out.append(byte)
        } else {
            return nil
        }
    }
    return quoted ? nil : String(decoding: out, as: UTF8.self)
}
