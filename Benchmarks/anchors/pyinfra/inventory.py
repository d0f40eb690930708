# pyinfra inventory generated from the harness's hosts file: BENCH_PYINFRA_HOSTS
# is a path to lines "alias port". Uses the sandbox's key and known_hosts
# (strict host key checking on).
import os

_key = os.environ["BENCH_SSH_KEY"]
_known_hosts = os.environ["BENCH_KNOWN_HOSTS"]

web = []
with open(os.environ["BENCH_PYINFRA_HOSTS"]) as f:
    for line in f:
        if not line.strip():
            continue
        alias, port = line.split()
        web.append((alias, {
            "ssh_hostname": "127.0.0.1",
            "ssh_port": int(port),
            "ssh_user": "deploy",
            "ssh_key": _key,
            "ssh_known_hosts_file": _known_hosts,
            "ssh_strict_host_key_checking": "yes",
            "ssh_allow_agent": False,
            "ssh_look_for_keys": False,
        }))
