#ifndef DEPLOYER_KEYCRYPTO_H
#define DEPLOYER_KEYCRYPTO_H

#include <stddef.h>
#include <stdint.h>

/* What libssh2 1.10 lacks for RSA user keys: signatures with SHA-2 (rsa-sha2-256/512,
 * RFC 8332), which need the private key in hand. libcrypto does the RSA; these functions read
 * the key and hide OpenSSL's types (an opaque pointer is the key). */

/// A PEM private key (PKCS#1 "RSA PRIVATE KEY" or PKCS#8, encrypted or not) read with
/// `passphrase` (NULL: none; never a prompt). NULL when it is unreadable, encrypted and the
/// passphrase is missing or wrong, or not an RSA key.
void *deployer_rsa_key_from_pem(const char *pem, size_t length, const char *passphrase);

/// An RSA key from its parts as an OpenSSH private key file holds them (big-endian unsigned
/// integers): modulus, public and private exponents, CRT coefficient, primes. NULL when libcrypto
/// refuses them.
void *deployer_rsa_key_from_parts(const uint8_t *n, size_t n_length, const uint8_t *e, size_t e_length,
                                  const uint8_t *d, size_t d_length, const uint8_t *iqmp, size_t iqmp_length,
                                  const uint8_t *p, size_t p_length, const uint8_t *q, size_t q_length);

/// The key's public exponent or modulus (`which` 'e' or 'n') as big-endian bytes into `out`
/// (at least 1024 bytes); the length written, or 0 on failure.
size_t deployer_rsa_key_public_part(void *key, char which, uint8_t *out, size_t capacity);

/// An RSASSA-PKCS1-v1_5 signature of `data` with SHA-1, SHA-256 or SHA-512 (`digest_bits` 1,
/// 256 or 512), in a buffer from malloc that the caller (libssh2) frees. 0 on success.
int deployer_rsa_sign(void *key, int digest_bits, const uint8_t *data, size_t length, uint8_t **signature,
                      size_t *signature_length);

/// Frees a key from the functions above.
void deployer_rsa_key_free(void *key);

/// Decrypts `length` bytes in place with an OpenSSH key-file cipher (`aes128-ctr`, `aes256-ctr`,
/// `aes256-cbc`, …, as libcrypto names them: "aes-256-ctr"). 0 on success, -1 for an unknown
/// cipher or a failure.
int deployer_decrypt(const char *cipher, const uint8_t *key, const uint8_t *iv, uint8_t *data, size_t length);

#endif
