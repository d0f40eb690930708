/// Why an RSA identity file could not be read for signing.
enum RSAKeyLoadError: Error, Equatable {
    /// The key is encrypted and no passphrase was given.
    case needsPassphrase
    /// The passphrase given does not decrypt the key.
    case wrongPassphrase
    /// The OpenSSH key file is encrypted with a cipher deployer cannot decrypt.
    case unsupportedCipher(String)
    /// Not a key file deployer can read (damaged, or a format other than PEM or OpenSSH's).
    case unreadable

    /// The problem and what to do, for the list of keys tried.
    var explanation: String {
        switch self {
        case .needsPassphrase:
            "cannot use the key: it is encrypted; set DEPLOYER_SSH_PASSPHRASE, or load it into ssh-agent"
        case .wrongPassphrase:
            "cannot read the key: wrong passphrase in DEPLOYER_SSH_PASSPHRASE"
        case .unsupportedCipher(let cipher):
            "cannot read the key: it is encrypted with \(cipher), which deployer cannot decrypt; load it into ssh-agent (ssh-add), or re-encrypt it with ssh-keygen -p -Z aes256-ctr"
        case .unreadable:
            "cannot read the key (damaged, or neither PEM nor OpenSSH format)"
        }
    }
}
