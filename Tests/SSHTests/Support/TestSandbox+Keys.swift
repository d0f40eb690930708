import Foundation

extension TestSandbox {
    /// A new key pair in the sandbox directory, authorized on the hosts when asked.
    /// `format` is ssh-keygen's `-m` (its default, OpenSSH's own format, is `RFC4716` for private keys).
    func makeKey(_ name: String, type: String = "ed25519", format: String = "RFC4716", passphrase: String = "", authorize: Bool) throws -> String {
        let path = directory + "/" + name
        let size = type == "rsa" ? ["-b", "2048"] : []
        try TestSandbox.shell(["ssh-keygen", "-q", "-t", type, "-m", format, "-N", passphrase, "-C", name, "-f", path] + size)
        if authorize {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: authorizedKeysPath))
            handle.seekToEndOfFile()
            handle.write(try Data(contentsOf: URL(fileURLWithPath: path + ".pub")))
            handle.closeFile()
        }
        return path
    }
}
