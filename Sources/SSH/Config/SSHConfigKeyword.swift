/// Every keyword OpenSSH's client accepts (9.x, Debian patches and deprecated names included),
/// lower-cased, with what deployer does with it: honoured, refused when set to anything but a
/// harmless value, or irrelevant to a session that only runs commands (and why).
///
/// A keyword outside this table is a typo the user must fix, as `ssh` itself would refuse it.
/// `SSHConfigKeywordTests` checks that every keyword of the installed ssh_config(5) is here.
enum SSHConfigKeyword {
    /// Advice for a refused setting: where the setting can go, or the transport that honours it.
    static let refusalFix = "remove the setting for this host (a Host block that does not match it), or use `ssh: { transport: openssh }` in the recipe's environment (or --ssh-transport openssh), which runs the system ssh"

    private static let forwarding = "port forwarding serves an interactive session; deployer's commands do not use it"
    private static let noPrompt = "deployer never prompts (it always runs as BatchMode yes): passwords and keyboard-interactive need a person"
    private static let onlyPublicKeys = "another authentication method besides public keys, which deployer does not offer: a host that accepts only it fails authentication (the error lists the keys tried); the openssh transport offers it"
    private static let gssapi = "tunes GSSAPI, which deployer does not offer"
    private static let noTerminal = "deployer opens its own command channels without a terminal"
    private static let sshOutput = "changes what ssh itself prints or logs"
    private static let deprecated = "deprecated: OpenSSH ignores it too"
    private static let canonical = "takes effect only with CanonicalizeHostname, which deployer refuses"
    private static let x11 = "X11 forwarding serves an interactive session"

    /// Every keyword and its treatment.
    static let table: [String: SSHConfigKeywordTreatment] = [
        // Structure and the settings deployer acts on (SSHConfigParser).
        "host": .honoured, "match": .honoured, "include": .honoured, "ignoreunknown": .honoured,
        "hostname": .honoured, "port": .honoured, "user": .honoured, "identityfile": .honoured, "identityfile2": .honoured, "certificatefile": .honoured,
        "identitiesonly": .honoured, "connecttimeout": .honoured, "setuptimeout": .honoured,
        "serveraliveinterval": .honoured, "protocolkeepalives": .honoured, "serveralivecountmax": .honoured, "connectionattempts": .honoured,
        "stricthostkeychecking": .honoured, "userknownhostsfile": .honoured, "globalknownhostsfile": .honoured,
        "identityagent": .honoured, "hashknownhosts": .honoured, "hostkeyalias": .honoured,
        "proxyjump": .honoured, "proxycommand": .honoured,
        "kexalgorithms": .honoured, "hostkeyalgorithms": .honoured, "ciphers": .honoured, "macs": .honoured,
        "pubkeyacceptedalgorithms": .honoured, "pubkeyacceptedkeytypes": .honoured,

        // Where traffic goes, which keys and algorithms are used, what is checked: refused.
        "addressfamily": .refused(harmless: ["any"], why: "deployer connects to the addresses the name resolves to, of either family"),
        "bindaddress": .refused(harmless: [], why: "deployer does not choose the local address of its connections"),
        "bindinterface": .refused(harmless: [], why: "deployer does not choose the local interface of its connections"),
        "canonicalizehostname": .refused(harmless: ["no"], why: "deployer does not canonicalize host names"),
        "forwardagent": .refused(harmless: ["no"], why: "libssh2 1.10 cannot serve the agent connections a host opens back (auth-agent@openssh.com channels); the OpenSSH transport forwards the agent"),
        "knownhostscommand": .refused(harmless: ["none"], why: "deployer reads host keys from known_hosts files only"),
        "revokedhostkeys": .refused(harmless: ["none"], why: "deployer does not read revoked-key lists"),
        "pkcs11provider": .refused(harmless: ["none"], why: "deployer does not use PKCS#11 tokens"),
        "smartcarddevice": .refused(harmless: [], why: "deployer does not use smartcards"),
        "securitykeyprovider": .refused(harmless: ["internal"], why: "deployer does not use FIDO security keys"),
        "pubkeyauthentication": .refused(harmless: ["yes", "unbound", "host-bound"], why: "deployer authenticates with public keys only"),
        "dsaauthentication": .refused(harmless: ["yes"], why: "deployer authenticates with public keys only"),
        "proxyusefdpass": .refused(harmless: ["no"], why: "deployer talks SSH over the ProxyCommand's standard input and output"),
        "permitlocalcommand": .refused(harmless: ["no"], why: "deployer does not run a LocalCommand"),
        "rekeylimit": .refused(harmless: ["default", "default none"], why: "libssh2 re-keys at its own limits"),
        "requiredrsasize": .refused(harmless: ["1024"], why: "deployer does not check RSA key sizes"),
        "setenv": .refused(harmless: [], why: "deployer sends no variables but a recipe's (set them in the recipe's env)"),

        // Nothing to do for a non-interactive session that runs commands.
        "batchmode": .irrelevant(reason: "deployer always runs as BatchMode yes"),
        "passwordauthentication": .irrelevant(reason: noPrompt),
        "kbdinteractiveauthentication": .irrelevant(reason: noPrompt),
        "challengeresponseauthentication": .irrelevant(reason: noPrompt),
        "skeyauthentication": .irrelevant(reason: noPrompt),
        "tisauthentication": .irrelevant(reason: noPrompt),
        "kbdinteractivedevices": .irrelevant(reason: noPrompt),
        "numberofpasswordprompts": .irrelevant(reason: noPrompt),
        "preferredauthentications": .irrelevant(reason: "deployer offers public keys only, whatever the order"),
        "gssapiauthentication": .irrelevant(reason: onlyPublicKeys),
        "hostbasedauthentication": .irrelevant(reason: onlyPublicKeys),
        "enablesshkeysign": .irrelevant(reason: "serves host-based authentication, which deployer does not offer"),
        "hostbasedacceptedalgorithms": .irrelevant(reason: "serves host-based authentication, which deployer does not offer"),
        "hostbasedkeytypes": .irrelevant(reason: "serves host-based authentication, which deployer does not offer"),
        "gssapiclientidentity": .irrelevant(reason: gssapi), "gssapidelegatecredentials": .irrelevant(reason: gssapi),
        "gssapikexalgorithms": .irrelevant(reason: gssapi), "gssapikeyexchange": .irrelevant(reason: gssapi),
        "gssapirenewalforcesrekey": .irrelevant(reason: gssapi), "gssapiserveridentity": .irrelevant(reason: gssapi),
        "gssapitrustdns": .irrelevant(reason: gssapi),
        "casignaturealgorithms": .irrelevant(reason: "restricts certificate signatures; deployer verifies no certificates"),
        "canonicaldomains": .irrelevant(reason: canonical), "canonicalizefallbacklocal": .irrelevant(reason: canonical),
        "canonicalizemaxdots": .irrelevant(reason: canonical), "canonicalizepermittedcnames": .irrelevant(reason: canonical),
        "checkhostip": .irrelevant(reason: "deployer checks host keys under the host name (or HostKeyAlias) only"),
        "verifyhostkeydns": .irrelevant(reason: "deployer takes host keys from known_hosts only, never from DNS (stricter)"),
        "nohostauthenticationforlocalhost": .irrelevant(reason: "deployer checks localhost's key as any host's (stricter)"),
        "updatehostkeys": .irrelevant(reason: "deployer never replaces a known host key"),
        "addkeystoagent": .irrelevant(reason: "deployer never adds keys to the agent"),
        "sendenv": .irrelevant(reason: "deployer exports a recipe's variables in the command text and sends no others (sshd drops them unless AcceptEnv allows)"),
        "compression": .irrelevant(reason: "speed only; deployer does not compress"),
        "tcpkeepalive": .irrelevant(reason: "deployer detects a dead server with ServerAliveInterval and ServerAliveCountMax"),
        "keepalive": .irrelevant(reason: "deployer detects a dead server with ServerAliveInterval and ServerAliveCountMax"),
        "ipqos": .irrelevant(reason: "traffic class marking only"),
        "controlmaster": .irrelevant(reason: "deployer keeps one connection per host for the whole run"),
        "controlpath": .irrelevant(reason: "deployer keeps one connection per host for the whole run"),
        "controlpersist": .irrelevant(reason: "deployer keeps one connection per host for the whole run"),
        "channeltimeout": .irrelevant(reason: "deployer closes its channels itself"),
        "localforward": .irrelevant(reason: forwarding), "remoteforward": .irrelevant(reason: forwarding),
        "dynamicforward": .irrelevant(reason: forwarding), "clearallforwardings": .irrelevant(reason: forwarding),
        "exitonforwardfailure": .irrelevant(reason: forwarding), "gatewayports": .irrelevant(reason: forwarding),
        "permitremoteopen": .irrelevant(reason: forwarding), "streamlocalbindmask": .irrelevant(reason: forwarding),
        "streamlocalbindunlink": .irrelevant(reason: forwarding),
        "tunnel": .irrelevant(reason: "tun device forwarding serves an interactive session"),
        "tunneldevice": .irrelevant(reason: "tun device forwarding serves an interactive session"),
        "forwardx11": .irrelevant(reason: x11), "forwardx11timeout": .irrelevant(reason: x11),
        "forwardx11trusted": .irrelevant(reason: x11), "xauthlocation": .irrelevant(reason: x11),
        "remotecommand": .irrelevant(reason: "deployer sends its own commands (ssh refuses a RemoteCommand beside a command too)"),
        "localcommand": .irrelevant(reason: "runs only with PermitLocalCommand yes, which deployer refuses"),
        "requesttty": .irrelevant(reason: noTerminal), "sessiontype": .irrelevant(reason: noTerminal),
        "stdinnull": .irrelevant(reason: noTerminal), "forkafterauthentication": .irrelevant(reason: noTerminal),
        "escapechar": .irrelevant(reason: noTerminal), "enableescapecommandline": .irrelevant(reason: noTerminal),
        "obscurekeystroketiming": .irrelevant(reason: noTerminal),
        "loglevel": .irrelevant(reason: sshOutput), "logverbose": .irrelevant(reason: sshOutput),
        "syslogfacility": .irrelevant(reason: sshOutput), "visualhostkey": .irrelevant(reason: sshOutput),
        "fingerprinthash": .irrelevant(reason: sshOutput),
        "tag": .irrelevant(reason: "only selects 'Match tagged' blocks, which deployer ignores with a warning"),
        "cipher": .irrelevant(reason: deprecated), "protocol": .irrelevant(reason: deprecated),
        "useroaming": .irrelevant(reason: deprecated), "rsaauthentication": .irrelevant(reason: deprecated),
        "rhostsrsaauthentication": .irrelevant(reason: deprecated), "rhostsauthentication": .irrelevant(reason: deprecated),
        "fallbacktorsh": .irrelevant(reason: deprecated), "usersh": .irrelevant(reason: deprecated),
        "compressionlevel": .irrelevant(reason: deprecated), "useprivilegedport": .irrelevant(reason: deprecated),
        "kerberosauthentication": .irrelevant(reason: deprecated), "kerberostgtpassing": .irrelevant(reason: deprecated),
        "afstokenpassing": .irrelevant(reason: deprecated), "useblacklistedkeys": .irrelevant(reason: deprecated),
        "userknownhostsfile2": .irrelevant(reason: deprecated), "globalknownhostsfile2": .irrelevant(reason: deprecated),
    ]

    /// Every keyword, lower-cased.
    static var all: Dictionary<String, SSHConfigKeywordTreatment>.Keys { table.keys }

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
