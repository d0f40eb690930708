extension SSHSession {
    /// Characters a value substituted into a ProxyCommand may hold: the shell reads the command,
    /// and a host name or user from a recipe must not run commands of its own (OpenSSH refuses
    /// such host names too).
    private static let proxyTokenCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_:@[]%+")

    /// Starts the target's `ProxyCommand` (`%h %p %r %n %k %%` expanded, as OpenSSH does) and
    /// returns the socket that carries the session.
    func startProxyCommand(_ command: String) throws -> Int32 {
        let options = target.options
        let values: [Character: String] = [
            "h": options.hostName, "p": String(options.port), "r": options.user, "n": options.alias,
            "k": options.hostKeyAlias ?? options.alias,
        ]
        if let unsafe = values.values.first(where: { !$0.allSatisfy(Self.proxyTokenCharacters.contains) }) {
            throw SSHError(.local, host: host, "refusing to put '\(unsafe)' into the ProxyCommand \(command): it holds characters the shell would interpret",
                           fix: "use a plain host name and user (letters, digits, . - _)")
        }
        let expanded = SSHConfigTokens.expand(command, values)
        let process = try ProxyCommandProcess(command: expanded, shell: target.localShell, host: host)
        proxy = process
        return process.socket
    }

    /// What the ProxyCommand said and how it ended, to add to an error; empty without one.
    func proxyReport() -> String {
        guard let proxy else { return "" }
        let report = proxy.report
        return report.isEmpty ? " (through the ProxyCommand \(proxy.command))" : " (through the ProxyCommand \(proxy.command)); \(report)"
    }
}
