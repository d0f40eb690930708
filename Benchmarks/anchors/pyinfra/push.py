# Capistrano-style release with pyinfra operations, idempotent: re-running with
# the same release id changes nothing (the no-op workload); `pyinfra --dry` is
# the plan workload. Environment: BENCH_DEPLOY_TO, BENCH_RELEASE_ID, BENCH_ARTIFACT.
import os

from pyinfra import host
from pyinfra.facts.files import File, FindDirectories, Link
from pyinfra.operations import files, server

d = os.environ["BENCH_DEPLOY_TO"]
rid = os.environ["BENCH_RELEASE_ID"]
artifact = os.environ["BENCH_ARTIFACT"]
release = f"{d}/releases/{rid}"
upload = f"{d}/.upload-{rid}.tar.gz"

files.directory(name="releases dir", path=f"{d}/releases")
files.directory(name="shared dir", path=f"{d}/shared/logs")

if not host.get_fact(File, path=f"{release}/VERSION"):
    files.directory(name="release dir", path=release)
    files.put(name="upload artifact", src=artifact, dest=upload)
    server.shell(name="extract", commands=[f"tar -xzf {upload} -C {release} && rm -f {upload}"])

files.link(name="link shared dir", path=f"{release}/logs", target="../../shared/logs")

current = host.get_fact(Link, path=f"{d}/current")
if not current or current.get("link_target") != f"releases/{rid}":
    server.shell(
        name="switch current atomically and restart",
        commands=[
            f"cd {d} && ln -sfn releases/{rid} current.tmp && mv -T current.tmp current",
            f"touch {d}/current/tmp/restart.txt",
        ],
    )

existing = sorted(p.rstrip("/").rsplit("/", 1)[-1]
                  for p in host.get_fact(FindDirectories, path=f"{d}/releases", maxdepth=1) or []
                  if p.rstrip("/") != f"{d}/releases")
names = sorted(set(existing) | {rid})
keep_current = current.get("link_target", "").rsplit("/", 1)[-1] if current else ""
for old in names[:-5]:
    if old not in (rid, keep_current):
        files.directory(name=f"prune {old}", path=f"{d}/releases/{old}", present=False)
