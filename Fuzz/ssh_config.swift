import SSH

/// The ssh_config parser: any text either parses or fails with an error, and
/// resolving any alias against a parsed config never crashes and gives a port
/// in range.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSSHConfig(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = fuzzText(start, count)
    let home = "/nonexistent-deployer-fuzz-home"
    guard let config = try? SSHConfig(text: text, path: "fuzz", homeDirectory: home) else { return 0 }
    for host in ["web1", "web3", "a.example.com", "", "*", "[x]:1", "WEB1", "é"] {
        let options = config.resolve(host: host, user: nil, port: nil, localUser: "me", homeDirectory: home)
        require((0...65535).contains(options.port), "port \(options.port) for \(host)")
    }
    return 0
}
