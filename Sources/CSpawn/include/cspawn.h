#ifndef DEPLOYER_CSPAWN_H
#define DEPLOYER_CSPAWN_H

#include <sys/types.h>

/// Starts `path` with `argv` and `envp` (NULL-terminated), in `directory`
/// when not NULL, with the child's standard input, output and error on
/// `stdin_fd`, `stdout_fd` and `stderr_fd` (-1: /dev/null). Every other
/// descriptor is closed in the child; signal dispositions and the signal
/// mask are reset to their defaults. Returns 0 and the child's id in `pid`,
/// or an errno value.
///
/// deployer's own spawn instead of Foundation's `Process.run`, which on Linux
/// copies a whole `dirent` past the end of readdir's buffer while listing
/// /proc/self/fd, and crashed (a bad read at a page boundary) in test runs.
int deployer_spawn(pid_t *pid, const char *path, char *const argv[], char *const envp[], const char *directory,
                   int stdin_fd, int stdout_fd, int stderr_fd);

/// `deployer_spawn` with the child in a process group of its own, so a Ctrl-C at the terminal
/// (SIGINT to the foreground group) reaches deployer only, which then winds down in order: used
/// for a ProxyCommand, whose connection must outlive the first Ctrl-C.
int deployer_spawn_in_own_group(pid_t *pid, const char *path, char *const argv[], char *const envp[],
                                int stdin_fd, int stdout_fd, int stderr_fd);

/// `deployer_spawn_in_own_group` in `directory` (when not NULL): for a build step on the controller,
/// whose whole process group deployer stops on Ctrl-C or at its timeout.
int deployer_spawn_group_leader(pid_t *pid, const char *path, char *const argv[], char *const envp[],
                                const char *directory, int stdin_fd, int stdout_fd, int stderr_fd);

#endif
