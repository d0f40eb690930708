#ifndef CLIBSSH2_SHIM_H
#define CLIBSSH2_SHIM_H
#include <libssh2.h>
#include <libssh2_sftp.h>
#include <libssh2_publickey.h>
#include <stdlib.h>
#include <string.h>
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

#endif
