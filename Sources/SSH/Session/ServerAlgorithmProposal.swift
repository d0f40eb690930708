/// The algorithms a server proposes in its first key-exchange message (RFC 4253 §7.1), read to
/// say what it offers when no algorithm is in common: libssh2 only reports that the exchange failed.
struct ServerAlgorithmProposal: Sendable, Equatable {
    var keyExchanges: [String]
    var hostKeys: [String]
    /// Client-to-server ciphers (OpenSSH offers the same both ways).
    var ciphers: [String]
    /// Client-to-server MACs.
    var macs: [String]

    /// The proposal in `bytes`, everything the server sent: its banner line (and any lines before
    /// it), then the unencrypted binary packet holding `SSH_MSG_KEXINIT`. Nil until the whole
    /// packet is there, or when it is not a KEXINIT.
    init?(received bytes: [UInt8]) {
        var start = 0
        // Lines up to and including the one starting "SSH-" (RFC 4253 §4.2 allows lines before it).
        while true {
            guard let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
            let isBanner = bytes[start...].starts(with: Array("SSH-".utf8))
            start = end + 1
            if isBanner { break }
        }
        var reader = SSHWireReader(Array(bytes[start...]))
        guard let length = reader.uint32().map(Int.init), reader.remaining.count >= length, length > 18 else { return nil }
        var packet = SSHWireReader(Array(reader.remaining.prefix(length)))
        let kexInit: UInt8 = 20
        guard packet.skip(1), packet.remaining.first == kexInit, packet.skip(1 + 16) else { return nil }
        var lists: [[String]] = []
        for _ in 0..<5 {
            guard let list = packet.string() else { return nil }
            lists.append(String(decoding: list, as: UTF8.self).split(separator: ",").map(String.init))
        }
        // kex, host key, cipher client-to-server, cipher server-to-client, MAC client-to-server.
        (keyExchanges, hostKeys, ciphers, macs) = (lists[0], lists[1], lists[2], lists[4])
    }

    /// The list of `kind` the server proposes; nil for public key algorithms, which it does not
    /// propose (libssh2 1.10 asks for no ext-info).
    func names(_ kind: SSHAlgorithmKind) -> [String]? {
        switch kind {
        case .keyExchange: keyExchanges.filter { !$0.hasPrefix("ext-info-") && !$0.hasPrefix("kex-strict-") }
        case .hostKey: hostKeys
        case .cipher: ciphers
        case .mac: macs
        case .publicKey: nil
        }
    }
}
