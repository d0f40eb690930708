"""parallel-ssh anchor: ParallelSSHClient (ssh2-python, libssh2 underneath, gevent).

    python bench_pssh.py adhoc    HOSTS KEY
    python bench_pssh.py push     HOSTS KEY DEPLOY_TO ID ARTIFACT
    python bench_pssh.py rollback HOSTS KEY DEPLOY_TO

HOSTS is a file of "alias port" lines. parallel-ssh does not verify host keys.
A push copies the artifact with SCP (`scp_send`), then runs the same release
script as the OpenSSH floor.
"""
import os
import sys

from gevent import joinall
from pssh.clients import ParallelSSHClient
from pssh.config import HostConfig

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = open(os.path.join(HERE, "..", "openssh", "release.sh")).read()


def run(client, aliases, command):
    output = client.run_command(command, stop_on_errors=True)
    client.join(output)
    failed = 0
    for alias, host_out in zip(aliases, output):
        for line in host_out.stdout:
            print(f"{alias}: {line}")
        for line in host_out.stderr:
            print(f"{alias}: {line}", file=sys.stderr)
        if host_out.exit_code != 0:
            failed += 1
    if failed:
        sys.exit(f"{failed} host(s) failed")


def main():
    mode, hosts_file, key = sys.argv[1:4]
    aliases, configs = [], []
    for line in open(hosts_file):
        if line.strip():
            alias, port = line.split()
            aliases.append(alias)
            configs.append(HostConfig(port=int(port), user="deploy", private_key=key))
    client = ParallelSSHClient(["127.0.0.1"] * len(aliases), host_config=configs,
                               pool_size=len(aliases), num_retries=1, timeout=60)
    if mode == "adhoc":
        run(client, aliases, "uname -a")
        return
    deploy_to = sys.argv[4]
    if mode == "push":
        rid, artifact = sys.argv[5], sys.argv[6]
        remote = f"{deploy_to}/.upload-{rid}.tar.gz"
        run(client, aliases, f"mkdir -p {deploy_to}")
        joinall(client.scp_send(artifact, remote), raise_error=True)
        run(client, aliases, f"MODE=push D={deploy_to} ID={rid} ARTIFACT={remote}; {SCRIPT}")
    elif mode == "rollback":
        run(client, aliases, f"MODE=rollback D={deploy_to} ID= ARTIFACT=-; {SCRIPT}")
    else:
        sys.exit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
