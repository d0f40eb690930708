import SSH

/// The known_hosts parser: any text parses (bad lines are reported, not
/// fatal), lookups never crash, and a line written by `entryLine` or
/// `hashedEntryLine` for a host matches that host and only its key.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzKnownHosts(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = fuzzText(start, count)
    let known = KnownHosts(text: text, file: "fuzz")
    let key = Array("key-A".utf8)
    for host in ["web1", "host2", "a.example.com", "10.0.0.1", "", "*", "WEB1"] {
        for port in [22, 2222] {
            _ = known.check(host: host, port: port, keyType: "ssh-ed25519", key: key)
            _ = known.knownKeyTypes(host: host, port: port)
        }
    }
    // A host name made of the input's name-safe characters round-trips through both line forms.
    let host = String(text.lowercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }.prefix(60))
    if !host.isEmpty {
        let port = 1 + count % 65535
        for line in [KnownHosts.entryLine(host: host, port: port, keyType: "ssh-ed25519", key: key),
                     KnownHosts.hashedEntryLine(host: host, port: port, keyType: "ssh-ed25519", key: key)] {
            let written = KnownHosts(text: line, file: "written")
            require(written.check(host: host, port: port, keyType: "ssh-ed25519", key: key) == .match, "\(line) does not match \(host):\(port)")
            require(written.check(host: host, port: port, keyType: "ssh-ed25519", key: [1]) != .match, "\(line) matches another key")
        }
    }
    return 0
}
