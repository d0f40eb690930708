"""Fabric 3 anchor: a ThreadingGroup over every host, paramiko underneath.

    python bench_fabric.py adhoc    HOSTS KEY KNOWN_HOSTS
    python bench_fabric.py push     HOSTS KEY KNOWN_HOSTS DEPLOY_TO ID ARTIFACT
    python bench_fabric.py rollback HOSTS KEY KNOWN_HOSTS DEPLOY_TO

HOSTS is a file of "alias port" lines. Host keys are checked against
KNOWN_HOSTS (paramiko RejectPolicy). A push uploads the artifact with SFTP
(`Connection.put`), then runs the same release script as the OpenSSH floor.
"""
import os
import sys
from concurrent.futures import ThreadPoolExecutor

import paramiko
from fabric import Config, Connection, ThreadingGroup

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = open(os.path.join(HERE, "..", "openssh", "release.sh")).read()


def connections(hosts_file, key, known_hosts):
    config = Config(overrides={"load_ssh_configs": False})
    conns = []
    for line in open(hosts_file):
        if not line.strip():
            continue
        alias, port = line.split()
        c = Connection("127.0.0.1", port=int(port), user="deploy", config=config,
                       connect_kwargs={"key_filename": key, "look_for_keys": False, "allow_agent": False})
        c.client.load_host_keys(known_hosts)
        c.client.set_missing_host_key_policy(paramiko.RejectPolicy())
        c.alias = alias
        conns.append(c)
    return conns


def main():
    mode, hosts_file, key, known_hosts = sys.argv[1:5]
    conns = connections(hosts_file, key, known_hosts)
    group = ThreadingGroup.from_connections(conns)
    if mode == "adhoc":
        results = group.run("uname -a", hide=True)
        for c, r in results.items():
            print(f"{c.alias}: {r.stdout.strip()}")
        return
    deploy_to = sys.argv[5]
    if mode == "push":
        rid, artifact = sys.argv[6], sys.argv[7]
        remote = f"{deploy_to}/.upload-{rid}.tar.gz"

        def push(c):
            c.run(f"mkdir -p {deploy_to}", hide=True)
            c.put(artifact, remote)
            return c.run(f"MODE=push D={deploy_to} ID={rid} ARTIFACT={remote}; {SCRIPT}", hide=True)

        with ThreadPoolExecutor(max_workers=len(conns)) as pool:
            for c, r in zip(conns, pool.map(push, conns)):
                print(f"{c.alias}: {r.stdout.strip()}")
    elif mode == "rollback":
        results = group.run(f"MODE=rollback D={deploy_to} ID= ARTIFACT=-; {SCRIPT}", hide=True)
        for c, r in results.items():
            print(f"{c.alias}: {r.stdout.strip()}")
    else:
        sys.exit(f"unknown mode {mode}")
    for c in conns:
        c.close()


if __name__ == "__main__":
    main()
