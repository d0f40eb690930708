#ifndef CLIBSSH2_SHIM_H
#define CLIBSSH2_SHIM_H
#include <libssh2.h>
#include <libssh2_sftp.h>
#include <libssh2_publickey.h>
#include <string.h>
#include <openssl/evp.h>
#include <sys/eventfd.h>

/* libssh2's function-like macros do not import into Swift: these wrap them. */

static inline LIBSSH2_SESSION *shim_session_init(void) {
    return libssh2_session_init_ex(NULL, NULL, NULL, NULL);
}

static inline int shim_session_disconnect(LIBSSH2_SESSION *session, const char *description) {
    return libssh2_session_disconnect_ex(session, SSH_DISCONNECT_BY_APPLICATION, description, "");
}

static inline LIBSSH2_CHANNEL *shim_channel_open_session(LIBSSH2_SESSION *session) {
    return libssh2_channel_open_ex(session, "session", sizeof("session") - 1,
                                   LIBSSH2_CHANNEL_WINDOW_DEFAULT, LIBSSH2_CHANNEL_PACKET_DEFAULT, NULL, 0);
}

static inline int shim_channel_exec(LIBSSH2_CHANNEL *channel, const char *command) {
    return libssh2_channel_process_startup(channel, "exec", sizeof("exec") - 1,
                                           command, (unsigned int)strlen(command));
}

static inline int shim_userauth_publickey_fromfile(LIBSSH2_SESSION *session, const char *username,
                                                   const char *publickey, const char *privatekey,
                                                   const char *passphrase) {
    return libssh2_userauth_publickey_fromfile_ex(session, username, (unsigned int)strlen(username),
                                                  publickey, privatekey, passphrase);
}

/* A non-blocking eventfd that wakes a session's poll() loop (the macros EFD_* do not import). */
static inline int shim_eventfd(void) {
    return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

/* SHA-256 through libcrypto (already loaded by libssh2); EVP is OpenSSL 3's non-deprecated API. */
static inline EVP_MD_CTX *shim_sha256_new(void) {
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx != NULL && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) { EVP_MD_CTX_free(ctx); return NULL; }
    return ctx;
}

static inline void shim_sha256_update(EVP_MD_CTX *ctx, const void *data, size_t length) {
    EVP_DigestUpdate(ctx, data, length);
}

/* Writes 32 bytes to `digest` and frees the context. */
static inline void shim_sha256_finish(EVP_MD_CTX *ctx, unsigned char *digest) {
    unsigned int length = 0;
    EVP_DigestFinal_ex(ctx, digest, &length);
    EVP_MD_CTX_free(ctx);
}

#endif
