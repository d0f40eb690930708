/// Every keyword OpenSSH's client accepts (9.x, Debian patches included), lower-cased.
///
/// A keyword outside this list is a typo the user must fix, as `ssh` itself would refuse it;
/// keywords deployer does not act on are accepted and ignored.
enum SSHConfigKeyword {
    static let all: Set<String> = [
        "host", "match", "include", "ignoreunknown",
        "addkeystoagent", "addressfamily", "afstokenpassing", "batchmode", "bindaddress", "bindinterface",
        "canonicaldomains", "canonicalizefallbacklocal", "canonicalizehostname", "canonicalizemaxdots",
        "canonicalizepermittedcnames", "casignaturealgorithms", "certificatefile", "challengeresponseauthentication",
        "channeltimeout", "checkhostip", "cipher", "ciphers", "clearallforwardings", "compression", "compressionlevel",
        "connectionattempts", "connecttimeout", "controlmaster", "controlpath", "controlpersist", "dsaauthentication",
        "dynamicforward", "enableescapecommandline", "enablesshkeysign", "escapechar", "exitonforwardfailure",
        "fallbacktorsh", "fingerprinthash", "forkafterauthentication", "forwardagent", "forwardx11",
        "forwardx11timeout", "forwardx11trusted", "gatewayports", "globalknownhostsfile", "globalknownhostsfile2",
        "gssapiauthentication", "gssapiclientidentity", "gssapidelegatecredentials", "gssapikexalgorithms",
        "gssapikeyexchange", "gssapirenewalforcesrekey", "gssapiserveridentity", "gssapitrustdns", "hashknownhosts",
        "hostbasedacceptedalgorithms", "hostbasedauthentication", "hostbasedkeytypes", "hostkeyalgorithms",
        "hostkeyalias", "hostname", "identitiesonly", "identityagent", "identityfile", "identityfile2", "ipqos",
        "kbdinteractiveauthentication", "kbdinteractivedevices", "kerberosauthentication", "kerberostgtpassing",
        "kexalgorithms", "keepalive", "knownhostscommand", "localcommand", "localforward", "loglevel", "logverbose",
        "macs", "nohostauthenticationforlocalhost", "numberofpasswordprompts", "obscurekeystroketiming",
        "passwordauthentication", "permitlocalcommand", "permitremoteopen", "pkcs11provider", "port",
        "preferredauthentications", "protocol", "protocolkeepalives", "proxycommand", "proxyjump", "proxyusefdpass",
        "pubkeyacceptedalgorithms", "pubkeyacceptedkeytypes", "pubkeyauthentication", "rekeylimit", "remotecommand",
        "remoteforward", "requesttty", "requiredrsasize", "revokedhostkeys", "rhostsauthentication",
        "rhostsrsaauthentication", "rsaauthentication", "securitykeyprovider", "sendenv", "serveralivecountmax",
        "serveraliveinterval", "sessiontype", "setenv", "setuptimeout", "skeyauthentication", "smartcarddevice",
        "stdinnull", "streamlocalbindmask", "streamlocalbindunlink", "stricthostkeychecking", "syslogfacility",
        "tag", "tcpkeepalive", "tisauthentication", "tunnel", "tunneldevice", "updatehostkeys", "useblacklistedkeys",
        "useprivilegedport", "user", "userknownhostsfile", "userknownhostsfile2", "useroaming", "usersh",
        "verifyhostkeydns", "visualhostkey", "xauthlocation",
    ]

    /// The known keyword closest to a misspelt one (edit distance at most 3), to suggest as a fix.
    static func suggestion(for keyword: String) -> String? {
        var best: (keyword: String, distance: Int)?
        for candidate in all where abs(candidate.utf8.count - keyword.utf8.count) <= 3 {
            let distance = editDistance(Array(keyword.utf8), Array(candidate.utf8))
            let better = best.map { distance < $0.distance || (distance == $0.distance && candidate < $0.keyword) } ?? true
            if distance <= 3, better {
                best = (candidate, distance)
            }
        }
        return best?.keyword
    }

    private static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
