#ifndef CLIBCRYPTO_SHIM_H
#define CLIBCRYPTO_SHIM_H
/* OpenSSL's libcrypto (libssh2 links it already): digests and HMAC for the Checksums module. */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#endif
