# Back to the release before the current one, then restart by touch.
# Environment: BENCH_DEPLOY_TO.
import os

from pyinfra import host
from pyinfra.facts.files import FindDirectories, Link
from pyinfra.operations import server

d = os.environ["BENCH_DEPLOY_TO"]
current = host.get_fact(Link, path=f"{d}/current")
names = sorted(p.rstrip("/").rsplit("/", 1)[-1]
               for p in host.get_fact(FindDirectories, path=f"{d}/releases", maxdepth=1) or []
               if p.rstrip("/") != f"{d}/releases")
cur = current["link_target"].rsplit("/", 1)[-1]
i = names.index(cur)
if i == 0:
    raise SystemExit(f"no release before {cur} on {host.name}")
server.shell(
    name="switch current to the previous release and restart",
    commands=[
        f"cd {d} && ln -sfn releases/{names[i - 1]} current.tmp && mv -T current.tmp current",
        f"touch {d}/current/tmp/restart.txt",
    ],
)
