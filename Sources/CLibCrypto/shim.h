#ifndef CLIBCRYPTO_SHIM_H
#define CLIBCRYPTO_SHIM_H
/* OpenSSL's libcrypto (libssh2 links it already): digests and HMAC for the Checksums module;
 * big numbers and the Blowfish block function for bcrypt_pbkdf (SSH module), which reads
 * OpenSSH key files protected by a passphrase. OpenSSL 3 marks the BF_ functions deprecated
 * (no provider serves bcrypt's key schedule, so they are the only way to it): the attribute is
 * suppressed here rather than in every caller. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/bn.h>
#include <openssl/blowfish.h>
#endif
