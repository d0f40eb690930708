import CKeyCrypto
import Foundation

extension RSAPrivateKey {
    /// Ciphers of OpenSSH key files deployer decrypts: OpenSSH's name, libcrypto's, key and IV lengths.
    private static let keyFileCiphers: [String: (libcrypto: String, keyLength: Int, ivLength: Int)] = [
        "aes128-ctr": ("AES-128-CTR", 16, 16), "aes192-ctr": ("AES-192-CTR", 24, 16), "aes256-ctr": ("AES-256-CTR", 32, 16),
        "aes128-cbc": ("AES-128-CBC", 16, 16), "aes192-cbc": ("AES-192-CBC", 24, 16), "aes256-cbc": ("AES-256-CBC", 32, 16),
    ]

    /// Reads an RSA private key file: PEM (PKCS#1 or PKCS#8, encrypted or not) or OpenSSH's own
    /// format (`ssh-keygen`'s default; encrypted with bcrypt_pbkdf and AES when it has a passphrase).
    static func load(path: String, passphrase: String?) -> Result<RSAPrivateKey, RSAKeyLoadError> {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return .failure(.unreadable) }
        if text.contains("BEGIN OPENSSH PRIVATE KEY") {
            return fromOpenSSHFormat(text, passphrase: passphrase)
        }
        let encrypted = text.contains("ENCRYPTED")
        if encrypted && passphrase == nil { return .failure(.needsPassphrase) }
        guard let raw = text.withCString({ deployer_rsa_key_from_pem($0, strlen($0), encrypted ? passphrase : nil) }) else {
            return .failure(encrypted ? .wrongPassphrase : .unreadable)
        }
        return .success(RSAPrivateKey(taking: raw))
    }

    /// OpenSSH's `openssh-key-v1` format (PROTOCOL.key): cipher, KDF and its options, the public
    /// key, then the private section, encrypted unless the cipher is `none`.
    private static func fromOpenSSHFormat(_ text: String, passphrase: String?) -> Result<RSAPrivateKey, RSAKeyLoadError> {
        let body = text.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        guard let data = Data(base64Encoded: body) else { return .failure(.unreadable) }
        var reader = SSHWireReader(Array(data))
        guard reader.skip(15), let cipherBytes = reader.string(), let kdf = reader.string(), let kdfOptions = reader.string(),
              reader.uint32() == 1, reader.string() != nil, var section = reader.string() else {
            return .failure(.unreadable)
        }
        let cipher = String(decoding: cipherBytes, as: UTF8.self)
        if cipher != "none" {
            guard let passphrase, !passphrase.isEmpty else { return .failure(.needsPassphrase) }
            guard let spec = keyFileCiphers[cipher] else { return .failure(.unsupportedCipher(cipher)) }
            var options = SSHWireReader(kdfOptions)
            guard kdf == Array("bcrypt".utf8), let salt = options.string(), let rounds = options.uint32() else {
                return .failure(.unreadable)
            }
            guard var material = BcryptPBKDF.deriveKey(
                passphrase: Array(passphrase.utf8), salt: salt, rounds: rounds, count: spec.keyLength + spec.ivLength
            ) else {
                return .failure(.unreadable)
            }
            defer { material.withUnsafeMutableBytes { _ = $0.initializeMemory(as: UInt8.self, repeating: 0) } }
            let key = Array(material.prefix(spec.keyLength)), iv = Array(material.suffix(spec.ivLength))
            guard deployer_decrypt(spec.libcrypto, key, iv, &section, section.count) == 0 else {
                return .failure(.unreadable)
            }
        }
        defer { section.withUnsafeMutableBytes { _ = $0.initializeMemory(as: UInt8.self, repeating: 0) } }
        var keys = SSHWireReader(section)
        guard let check1 = keys.uint32(), let check2 = keys.uint32() else { return .failure(.unreadable) }
        guard check1 == check2 else { return .failure(.wrongPassphrase) }
        guard keys.string() == Array(RSASignatureAlgorithm.sha1.rawValue.utf8),
              let n = keys.string(), let e = keys.string(), let d = keys.string(),
              let iqmp = keys.string(), let p = keys.string(), let q = keys.string(),
              let raw = deployer_rsa_key_from_parts(n, n.count, e, e.count, d, d.count, iqmp, iqmp.count, p, p.count, q, q.count) else {
            return .failure(.unreadable)
        }
        return .success(RSAPrivateKey(taking: raw))
    }
}
