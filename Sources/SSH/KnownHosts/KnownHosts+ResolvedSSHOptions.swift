extension KnownHosts {
    /// The name and port OpenSSH files a host's key under: `HostKeyAlias` alone when set (looked up
    /// without a port, as OpenSSH does), else the resolved host name and port.
    ///
    /// Pass the result to `check`, `knownKeyTypes` and `append`.
    public static func lookupKey(for options: ResolvedSSHOptions) -> (host: String, port: Int) {
        if let alias = options.hostKeyAlias {
            return (alias, 22)
        }
        return (options.hostName, options.port)
    }
}
