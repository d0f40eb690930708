#!/usr/bin/env python3
"""The benchmark harness behind Benchmarks/run (stdlib only; the anchors run
from Benchmarks/.venv). See Benchmarks/README.md.

For every host count and RTT: sandbox hosts (Scripts/sandbox), a delay proxy in
front of them when RTT > 0, then `--runs` rounds; in each round every workload
is run once by every tool, the order of the tools rotated round by round. Each
tool deploys into its own directory (/srv/bench-TOOL) on the same hosts, so the
tools never see each other's releases. Every run has a timeout; every loop a
count. Wall time is measured here; peak memory by /usr/bin/time (%M) and by
sampling the RSS of the whole process tree.
"""
import argparse
import datetime
import gzip
import hashlib
import io
import json
import os
import platform
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(BENCH)
ANCHORS = os.path.join(BENCH, "anchors")
VENV_BIN = os.path.join(BENCH, ".venv", "bin")
SANDBOX = os.path.join(REPO, "Scripts", "sandbox")

ALL_TOOLS = ["deployer", "deployer-openssh", "openssh", "ansible", "pyinfra", "fabric", "pssh"]
ALL_WORKLOADS = ["adhoc", "push", "noop", "plan", "rollback"]
TOOL_NAMES = {"deployer": "deployer", "deployer-openssh": "deployer (OpenSSH transport)", "openssh": "OpenSSH floor", "ansible": "Ansible",
              "pyinfra": "pyinfra", "fabric": "Fabric", "pssh": "parallel-ssh"}
# What each tool runs for each workload, for the table's notes.
NOT_APPLICABLE = {("fabric", "plan"): "no dry-run mode", ("pssh", "plan"): "no dry-run mode"}
ARTIFACT_BYTES = 2 * 1024 * 1024


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def sh(argv, **kw):
    return subprocess.run(argv, check=True, text=True, capture_output=True, **kw).stdout


# ---------------------------------------------------------------- artifacts

class Artifacts:
    """Deterministic 2 MB app dirs and their .tar.gz, one version per push.

    The app: VERSION, app.py, tmp/ (where restart.txt is touched) and assets/
    holding 2 MiB of seeded pseudo-random bytes (incompressible, so the tarball
    is ~2 MB too). Only VERSION differs between versions. A release id is
    "<UTC stamp>-<sha256[:8] of the tarball>", the stamp being the harness's
    start plus the version in seconds, so names sort in push order.
    """

    def __init__(self, root):
        self.root = root
        self.base = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        rng = random.Random("deployer-bench-assets")
        self.assets = [rng.randbytes(64 * 1024) for _ in range(ARTIFACT_BYTES // (64 * 1024))]
        self.cache = {}

    def get(self, version):
        if version in self.cache:
            return self.cache[version]
        app = os.path.join(self.root, f"app-v{version}")
        files = {"VERSION": f"{version}\n".encode(),
                 "app.py": b"print('bench app')\n",
                 "tmp/.keep": b""}
        for i, blob in enumerate(self.assets):
            files[f"assets/blob-{i:02d}.bin"] = blob
        for rel, data in files.items():
            path = os.path.join(app, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
        buf = io.BytesIO()
        with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, compresslevel=6) as gz:
            with tarfile.open(fileobj=gz, mode="w", format=tarfile.GNU_FORMAT) as tar:
                dirs = sorted({os.path.dirname(r) for r in files if "/" in r})
                for d in dirs:
                    ti = tarfile.TarInfo(d)
                    ti.type, ti.mode, ti.mtime = tarfile.DIRTYPE, 0o755, 1764374400
                    tar.addfile(ti)
                for rel in sorted(files):
                    ti = tarfile.TarInfo(rel)
                    ti.size, ti.mode, ti.mtime = len(files[rel]), 0o644, 1764374400
                    tar.addfile(ti, io.BytesIO(files[rel]))
        data = buf.getvalue()
        stamp = (self.base + datetime.timedelta(seconds=version)).strftime("%Y%m%dT%H%M%SZ")
        rid = f"{stamp}-{hashlib.sha256(data).hexdigest()[:8]}"
        tgz = os.path.join(self.root, f"{rid}.tar.gz")
        with open(tgz, "wb") as f:
            f.write(data)
        self.cache[version] = {"version": version, "dir": app, "tgz": tgz, "id": rid, "bytes": len(data)}
        return self.cache[version]


# ---------------------------------------------------------------- processes

def detached_pids(marker):
    """Processes whose command line contains marker: what a run started and detached from its tree
    (the OpenSSH transport's `ssh -f` masters, which name the run's private socket directory)."""
    pids = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/cmdline", "rb") as f:
                    if marker.encode() in f.read():
                        pids.append(int(name))
            except OSError:
                continue
    return pids


def tree_usage(root_pid, marker=None):
    """Sums over root_pid and its descendants (via /proc/PID/task/TID/children), and the processes
    detached_pids(marker) finds with theirs: VmRSS (KB), threads, open fds."""
    total, threads, fds, stack, seen = 0, 0, 0, [root_pid] + (detached_pids(marker) if marker else []), 0
    visited = set()
    while stack and seen < 10000:
        pid = stack.pop()
        if pid in visited:
            continue
        visited.add(pid)
        seen += 1
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                    elif line.startswith("Threads:"):
                        threads += int(line.split()[1])
            fds += len(os.listdir(f"/proc/{pid}/fd"))
            for tid in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{tid}/children") as f:
                    stack.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return total, threads, fds


RUNNING = set()  # timed runs in flight, each its own session: killed on exit


def kill_group(p):
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def run_timed(argv, env, cwd, timeout, logpath, stdin_path=None, marker=None):
    """Run argv with a timeout; return wall seconds, exit code, %M (KB), CPU seconds (user + system,
    children included), and the sampled peaks of the process tree's RSS (KB), threads and open fds."""
    tfile = logpath + ".time"
    cmd = ["timeout", "-k", "5", str(timeout), "/usr/bin/time", "-f", "%M %U %S", "-o", tfile] + argv
    peak = [0, 0, 0]
    with open(logpath, "w") as out, open(stdin_path or os.devnull) as inp:
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=inp, env=env, cwd=cwd,
                             start_new_session=True)
        RUNNING.add(p)
        stop = threading.Event()

        def sample():
            wait = 0.02  # a first look early: short runs (a 50 ms adhoc) get a figure too
            while not stop.wait(wait):
                peak[:] = [max(a, b) for a, b in zip(peak, tree_usage(p.pid, marker))]
                wait = 0.1

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        rc = p.wait()
        wall = time.monotonic() - t0
        RUNNING.discard(p)
        kill_group(p)  # anything the run left behind in its session (never the detached ssh masters)
        stop.set()
        sampler.join()
    maxrss = cpu = None
    try:
        with open(tfile) as f:
            lines = [l for l in f.read().split("\n") if l.strip()]
        fields = lines[-1].split()
        maxrss, cpu = int(fields[0]), float(fields[1]) + float(fields[2])
    except (OSError, ValueError, IndexError):
        pass
    return {"wall": wall, "rc": rc, "maxrss_kb": maxrss, "cpu_s": cpu, "tree_rss_kb": peak[0] or None,
            "threads": peak[1] or None, "fds": peak[2] or None, "timed_out": rc in (124, 137)}


# ---------------------------------------------------------------- sandbox + WAN

class Sandbox:
    def __init__(self, work, count, bastion=False):
        self.dir = os.path.join(work, "sandbox")
        self.count = count
        self.up = False
        # With a bastion: one more host (stock sshd: MaxStartups 10:30:100, MaxSessions 10) that
        # every other host is reached through (ProxyJump); the tools are never pointed at it.
        self.bastion = f"host{count + 1}" if bastion else None

    def start(self):
        total = self.count + (1 if self.bastion else 0)
        log(f"sandbox: starting {total} host(s) in {self.dir}" + (f", {self.bastion} the bastion" if self.bastion else ""))
        self.up = True
        # --light: one shared host key and INFO logging, so 1,000 hosts start in minutes.
        subprocess.run([SANDBOX, "up", str(total), "--dir", self.dir, "--light"], check=True,
                       timeout=max(600, total))
        self.hosts = []  # (alias, port)
        with open(os.path.join(self.dir, "hosts.txt")) as f:
            for line in f:
                if line.strip():
                    alias, port = line.split()
                    self.hosts.append((alias, int(port)))
        self.hosts = self.hosts[:self.count]
        self.ssh_config = os.path.join(self.dir, "ssh_config")
        self.known_hosts = os.path.join(self.dir, "known_hosts")
        self.key = os.path.join(self.dir, "client", "id_ed25519")

    def bastion_counts(self):
        """(logins, refusals) in the bastion's sshd log so far; (0, 0) without a bastion."""
        if not self.bastion:
            return 0, 0
        with open(os.path.join(self.dir, "hosts", self.bastion, "sshd.log"), errors="replace") as f:
            text = f.read()
        return text.count("Accepted publickey for "), text.count("drop connection") + text.count("past MaxStartups")

    def stop(self):
        if self.up:
            self.up = False
            subprocess.run([SANDBOX, "down", "--dir", self.dir], timeout=120)


class Network:
    """How the tools reach the hosts at one RTT: direct, or through the delay proxy."""

    def __init__(self, work, sandbox, rtt_ms):
        self.rtt = rtt_ms
        self.proxy = None
        self.dir = os.path.join(work, f"net-rtt{rtt_ms}")
        os.makedirs(self.dir, exist_ok=True)
        if rtt_ms == 0:
            self.ssh_config, self.known_hosts = sandbox.ssh_config, sandbox.known_hosts
            self.ports = dict(sandbox.hosts)
            if sandbox.bastion:
                # Every host behind the bastion: the first ProxyJump read wins, so it goes first.
                self.ssh_config = os.path.join(self.dir, "ssh_config")
                with open(sandbox.ssh_config) as f:
                    base = f.read()
                with open(self.ssh_config, "w") as f:
                    f.write(f"Host {' '.join(self.ports)}\n  ProxyJump {sandbox.bastion}\n\n" + base)
            return
        mapfile = os.path.join(self.dir, "map.txt")
        with open(mapfile, "w") as f:
            f.writelines(f"{a} {p}\n" for a, p in sandbox.hosts)
        ready = os.path.join(self.dir, "proxy-ports.txt")
        self.proxy_log = open(os.path.join(self.dir, "proxy.log"), "w")
        self.proxy = subprocess.Popen([sys.executable, os.path.join(BENCH, "delay-proxy.py"),
                                       "--delay-ms", str(rtt_ms / 2), "--map", mapfile, "--ready", ready],
                                      stdout=self.proxy_log, stderr=subprocess.STDOUT)
        for _ in range(200):
            if os.path.exists(ready) or self.proxy.poll() is not None:
                break
            time.sleep(0.05)
        if not os.path.exists(ready):
            raise SystemExit(f"delay proxy did not start; see {self.dir}/proxy.log")
        self.ports = {}
        upstream = {}
        with open(ready) as f:
            for line in f:
                alias, listen, up = line.split()
                self.ports[alias] = int(listen)
                upstream[alias] = int(up)
        log(f"delay proxy: {len(self.ports)} listener(s), {rtt_ms / 2:g} ms each way (pid {self.proxy.pid})")
        # ssh_config: the sandbox's, with each alias's Port and known_hosts pointed at the proxy.
        self.ssh_config = os.path.join(self.dir, "ssh_config")
        self.known_hosts = os.path.join(self.dir, "known_hosts")
        out, alias = [], None
        with open(sandbox.ssh_config) as f:
            for line in f:
                words = line.split()
                if words and words[0] == "Host":
                    alias = words[1]
                elif words and words[0] == "Port" and alias in self.ports:
                    line = f"  Port {self.ports[alias]}\n"
                elif words and words[0] == "UserKnownHostsFile":
                    line = f"  UserKnownHostsFile {self.known_hosts}\n"
                out.append(line)
        with open(self.ssh_config, "w") as f:
            f.writelines(out)
        keys = {}
        with open(sandbox.known_hosts) as f:
            for line in f:
                m = re.match(r"\[127\.0\.0\.1\]:(\d+) (.*)", line)
                if m:
                    keys[int(m.group(1))] = m.group(2)
        with open(self.known_hosts, "w") as f:
            for a, listen in self.ports.items():
                f.write(f"[127.0.0.1]:{listen} {keys[upstream[a]]}\n")

    def stop(self):
        if self.proxy and self.proxy.poll() is None:
            self.proxy.terminate()
            try:
                self.proxy.wait(10)
            except subprocess.TimeoutExpired:
                self.proxy.kill()


# ---------------------------------------------------------------- tools

class Context:
    """One (host count, RTT) cell: the files every tool needs."""

    def __init__(self, work, sandbox, net, n):
        self.n, self.rtt, self.net, self.sandbox = n, net.rtt, net, sandbox
        self.dir = os.path.join(work, f"h{n}-rtt{net.rtt}")
        os.makedirs(self.dir, exist_ok=True)
        self.aliases = [a for a, _ in sandbox.hosts[:n]]
        self.aliases_file = os.path.join(self.dir, "aliases.txt")
        with open(self.aliases_file, "w") as f:
            f.writelines(a + "\n" for a in self.aliases)
        self.hostports_file = os.path.join(self.dir, "hostports.txt")
        with open(self.hostports_file, "w") as f:
            f.writelines(f"{a} {net.ports[a]}\n" for a in self.aliases)
        self.ssh_config, self.known_hosts, self.key = net.ssh_config, net.known_hosts, sandbox.key
        self._ansible_setup()

    def _ansible_setup(self):
        d = os.path.join(self.dir, "ansible")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "inventory.ini"), "w") as f:
            f.write("[web]\n")
            f.writelines(a + "\n" for a in self.aliases)
            f.write("\n[all:vars]\n")
            f.write(f"ansible_ssh_common_args='-F {self.ssh_config}'\n")
            f.write("ansible_python_interpreter=/usr/bin/python3\n")
        self.ansible_cp = os.path.join(d, "cp")
        with open(os.path.join(d, "ansible.cfg"), "w") as f:
            f.write(f"""[defaults]
inventory = {d}/inventory.ini
forks = {self.n}
host_key_checking = True
gathering = explicit
retry_files_enabled = False
interpreter_python = /usr/bin/python3
deprecation_warnings = False
local_tmp = {d}/tmp

[ssh_connection]
pipelining = True
ssh_args = -C -o ControlMaster=auto -o ControlPersist=60s -o KexAlgorithms=curve25519-sha256
control_path_dir = {self.ansible_cp}
""")
        self.ansible_cfg = os.path.join(d, "ansible.cfg")

    def deploy_to(self, tool):
        return f"/srv/bench-{tool}"


class Tools:
    def __init__(self, args, work):
        self.args = args
        self.work = work
        self.deployer = None
        self.missing = {}  # (tool, workload) → reason it is not measured

    def env(self, extra=None):
        env = dict(os.environ)
        env["PATH"] = VENV_BIN + os.pathsep + env.get("PATH", "")
        env.pop("SSH_AUTH_SOCK", None)
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.update(extra or {})
        return env

    def command(self, tool, workload, ctx, art):
        """→ (argv, env, cwd) for one run, or raise KeyError when not applicable."""
        d = ctx.deploy_to(tool)
        if tool == "openssh":
            floor = os.path.join(ANCHORS, "openssh", "floor.sh")
            base = [floor]
            if workload == "adhoc":
                return base + ["adhoc", ctx.ssh_config, ctx.aliases_file], self.env(), None
            if workload in ("push", "noop"):
                return base + ["push", ctx.ssh_config, ctx.aliases_file, d, art["id"], art["tgz"]], self.env(), None
            if workload == "plan":
                return base + ["probe", ctx.ssh_config, ctx.aliases_file, d, art["id"]], self.env(), None
            if workload == "rollback":
                return base + ["rollback", ctx.ssh_config, ctx.aliases_file, d], self.env(), None
        if tool == "ansible":
            env = self.env({"ANSIBLE_CONFIG": ctx.ansible_cfg, "ANSIBLE_NOCOLOR": "1"})
            adir = os.path.join(ANCHORS, "ansible")
            if workload == "adhoc":
                return [os.path.join(VENV_BIN, "ansible"), "all", "-m", "ansible.builtin.command",
                        "-a", "uname -a"], env, None
            extra = json.dumps({"deploy_to": d, "release_id": art["id"], "artifact": art["tgz"]})
            pb = os.path.join(VENV_BIN, "ansible-playbook")
            if workload in ("push", "noop"):
                return [pb, os.path.join(adir, "push.yml"), "-e", extra], env, None
            if workload == "plan":
                return [pb, "--check", os.path.join(adir, "push.yml"), "-e", extra], env, None
            if workload == "rollback":
                return [pb, os.path.join(adir, "rollback.yml"), "-e", json.dumps({"deploy_to": d})], env, None
        if tool == "pyinfra":
            pdir = os.path.join(ANCHORS, "pyinfra")
            env = self.env({"BENCH_PYINFRA_HOSTS": ctx.hostports_file, "BENCH_SSH_KEY": ctx.key,
                            "BENCH_KNOWN_HOSTS": ctx.known_hosts, "BENCH_DEPLOY_TO": d,
                            "BENCH_RELEASE_ID": art["id"], "BENCH_ARTIFACT": art["tgz"]})
            base = [os.path.join(VENV_BIN, "pyinfra"), "-y", "--parallel", str(ctx.n)]
            inv = os.path.join(pdir, "inventory.py")
            if workload == "adhoc":
                return base + [inv, "exec", "--", "uname -a"], env, pdir
            if workload in ("push", "noop"):
                return base + [inv, os.path.join(pdir, "push.py")], env, pdir
            if workload == "plan":
                return base + ["--dry", inv, os.path.join(pdir, "push.py")], env, pdir
            if workload == "rollback":
                return base + [inv, os.path.join(pdir, "rollback.py")], env, pdir
        if tool == "fabric":
            base = [os.path.join(VENV_BIN, "python"), os.path.join(ANCHORS, "fabric", "bench_fabric.py")]
            common = [ctx.hostports_file, ctx.key, ctx.known_hosts]
            if workload == "adhoc":
                return base + ["adhoc"] + common, self.env(), None
            if workload in ("push", "noop"):
                return base + ["push"] + common + [d, art["id"], art["tgz"]], self.env(), None
            if workload == "rollback":
                return base + ["rollback"] + common + [d], self.env(), None
        if tool == "pssh":
            base = [os.path.join(VENV_BIN, "python"), os.path.join(ANCHORS, "pssh", "bench_pssh.py")]
            common = [ctx.hostports_file, ctx.key]
            if workload == "adhoc":
                return base + ["adhoc"] + common, self.env(), None
            if workload in ("push", "noop"):
                return base + ["push"] + common + [d, art["id"], art["tgz"]], self.env(), None
            if workload == "rollback":
                return base + ["rollback"] + common + [d], self.env(), None
        if tool in ("deployer", "deployer-openssh"):
            env = self.env({"DEPLOYER_SSH_CONFIG": ctx.ssh_config})
            transport = []
            if tool == "deployer-openssh":
                # Its masters' sockets go here; run_timed finds the detached masters by this path.
                env["XDG_RUNTIME_DIR"] = self.runtime_dir(ctx)
                env["DEPLOYER_SSH_CONFIG"] = self.openssh_config(ctx)
                transport = ["--ssh-transport", "openssh"]
            if workload == "adhoc":
                return [self.deployer, "run"] + transport + ["--hosts", ",".join(ctx.aliases), "--", "uname", "-a"], env, None
            rdir = os.path.join(ctx.dir, tool, f"v{art['version']}")
            os.makedirs(rdir, exist_ok=True)
            with open(os.path.join(ANCHORS, "deployer", "deploy.yml")) as f:
                recipe = f.read()
            recipe = recipe.replace("@SOURCE@", art["dir"]).replace("@HOSTS@", ", ".join(ctx.aliases))
            recipe = recipe.replace("deploy_to: /srv/bench-deployer\n", f"deploy_to: {d}\n")
            with open(os.path.join(rdir, "deploy.yml"), "w") as f:
                f.write(recipe)
            verb = {"push": "push", "noop": "push", "plan": "plan", "rollback": "rollback"}[workload]
            return [self.deployer, verb] + transport + ["bench", "-f", os.path.join(rdir, "deploy.yml")], env, rdir
        raise KeyError((tool, workload))

    def openssh_config(self, ctx):
        """deployer-openssh's ssh_config: the cell's, with `KexAlgorithms` from --openssh-kex first
        (ssh keeps the first value it reads), so that its masters negotiate the floor's key exchange
        (by default) rather than OpenSSH 9.2's sntrup761x25519, which costs each master ~0.1 s of
        client CPU more; `--openssh-kex default` leaves ssh's own choice."""
        if self.args.openssh_kex == "default":
            return ctx.ssh_config
        path = os.path.join(ctx.dir, "ssh_config-openssh")
        if not os.path.exists(path):
            with open(ctx.ssh_config) as f:
                base = f.read()
            with open(path, "w") as f:
                f.write(f"KexAlgorithms {self.args.openssh_kex}\n\n" + base)
        return path

    def runtime_dir(self, ctx):
        """deployer-openssh's XDG_RUNTIME_DIR, private and short: ssh binds its master's socket at
        DIR/deployer-ssh-XXXXXX/%C plus a 17-character suffix, which must fit in sun_path's 108
        bytes (a directory under the work dir did not: 'too long for Unix domain socket')."""
        if not getattr(ctx, "runtime", None):
            ctx.runtime = tempfile.mkdtemp(prefix="dr-", dir="/tmp")
        return ctx.runtime

    def marker(self, tool, ctx):
        """What the command lines of a run's detached processes contain, for its tree RSS."""
        return self.runtime_dir(ctx) + "/" if tool == "deployer-openssh" else None

    def after_run(self, tool, ctx):
        """Untimed clean-up: Ansible's persistent ssh masters, so every run starts fresh."""
        if tool == "ansible" and os.path.isdir(ctx.ansible_cp):
            for name in os.listdir(ctx.ansible_cp):
                sock = os.path.join(ctx.ansible_cp, name)
                subprocess.run(["ssh", "-o", f"ControlPath={sock}", "-O", "exit", "x"],
                               capture_output=True, timeout=10)

    def versions(self):
        v = {}

        def first_line(argv):
            try:
                out = subprocess.run(argv, capture_output=True, text=True, timeout=60, env=self.env())
                return (out.stdout or out.stderr).strip().split("\n")[0]
            except (OSError, subprocess.TimeoutExpired) as e:
                return f"unavailable ({e})"

        v["openssh"] = first_line(["ssh", "-V"])
        v["ansible"] = first_line([os.path.join(VENV_BIN, "ansible"), "--version"])
        v["pyinfra"] = first_line([os.path.join(VENV_BIN, "pyinfra"), "--version"])
        py = os.path.join(VENV_BIN, "python")
        v["fabric"] = first_line([py, "-c", "import fabric, paramiko; print('fabric', fabric.__version__, 'paramiko', paramiko.__version__)"])
        v["pssh"] = first_line([py, "-c", "from importlib.metadata import version as v; print('parallel-ssh', v('parallel-ssh'), 'ssh2-python', v('ssh2-python'))"])
        if self.deployer:
            r = subprocess.run([self.deployer, "--version"], capture_output=True, text=True, timeout=30)
            v["deployer"] = r.stdout.strip().split("\n")[0] if r.returncode == 0 else "(no --version yet)"
            try:
                head = sh(["git", "-C", REPO, "rev-parse", "--short", "HEAD"]).strip()
                v["deployer"] += (f", binary {self.deployer} (repo at {head})" if self.args.deployer
                                  else f", built from the work tree at {head}")
            except (OSError, subprocess.CalledProcessError):
                pass
            kex = self.args.openssh_kex
            v["deployer-openssh"] = ("the same binary, with --ssh-transport openssh; its ssh_config sets "
                                     + (f"`KexAlgorithms {kex}`" if kex != "default" else "no KexAlgorithms (ssh's default)"))
        return v

    def find_deployer(self):
        if self.args.deployer:
            self.deployer = os.path.abspath(self.args.deployer)
            return
        scratch = os.path.join(REPO, ".build-bench")
        # As Scripts/install builds it: the Swift runtime and Foundation linked in (5 MB less
        # mapped at 100 hosts, start-up 8 -> 5 ms).
        log("deployer: swift build -c release --static-swift-stdlib --scratch-path .build-bench")
        r = subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--scratch-path", scratch,
                            "--product", "deployer"],
                           cwd=REPO, capture_output=True, text=True, timeout=1800)
        if r.returncode != 0:
            tail = "\n".join((r.stdout + r.stderr).strip().split("\n")[-15:])
            log(f"deployer: build failed; deployer is left out\n{tail}")
            self.missing.update({("deployer", w): "build failed" for w in ALL_WORKLOADS})
            return
        binpath = sh(["swift", "build", "-c", "release", "--scratch-path", scratch, "--show-bin-path"], cwd=REPO).strip()
        self.deployer = os.path.join(binpath, "deployer")

    def check_deployer_verbs(self):
        """Leave out the workloads whose verb is still a stub ("(not built yet)" in its help)."""
        for verb, workloads in (("run", ["adhoc"]), ("push", ["push", "noop"]), ("plan", ["plan"]),
                                ("rollback", ["rollback"])):
            r = subprocess.run([self.deployer, verb, "--help"], capture_output=True, text=True, timeout=30)
            if "not built yet" in r.stdout + r.stderr:
                for w in workloads:
                    self.missing[("deployer", w)] = f"`deployer {verb}` not implemented yet"


# ---------------------------------------------------------------- verification

def verify(sandbox, ctx, tool):
    """Untimed: read each host's state for this tool (direct ssh, never through the proxy)."""
    d = ctx.deploy_to(tool)
    script = (f"cd {d} 2>/dev/null || exit 0; echo \"version=$(cat current/VERSION 2>/dev/null | tr -d '\\n')\";"
              f" echo \"releases=$(ls -1 releases 2>/dev/null | wc -l)\";"
              f" echo \"restart=$(stat -c %y current/tmp/restart.txt 2>/dev/null)\";"
              f" echo \"logs=$(test -d current/logs && echo linked || echo missing)\";"
              f" echo \"current_is_link=$(test -L current && echo yes || echo no)\"")

    def one(alias):
        r = subprocess.run(["ssh", "-F", sandbox.ssh_config, "-o", "BatchMode=yes", alias, script],
                           capture_output=True, text=True, timeout=60)
        state = dict(l.split("=", 1) for l in r.stdout.strip().split("\n") if "=" in l)
        return alias, state

    with ThreadPoolExecutor(max_workers=min(16, ctx.n)) as pool:
        return dict(pool.map(one, ctx.aliases))


# ---------------------------------------------------------------- the run

def machine_info():
    info = {"cores": os.cpu_count(), "kernel": platform.release(), "python": platform.python_version()}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            info["memory_gb"] = round(int(f.readline().split()[1]) / 1024 / 1024, 1)
        with open("/etc/os-release") as f:
            info["os"] = dict(l.strip().split("=", 1) for l in f if "=" in l).get("PRETTY_NAME", "").strip('"')
    except OSError:
        pass
    info["loadavg_start"] = os.getloadavg()
    return info


def summarize(runs):
    ok = [r for r in runs if r["rc"] == 0]
    s = {"runs": len(runs), "ok": len(ok)}
    if ok:
        walls = [r["wall"] for r in ok]
        s.update(median=statistics.median(walls), min=min(walls), max=max(walls))
        rss = [r["maxrss_kb"] for r in ok if r["maxrss_kb"]]
        tree = [r["tree_rss_kb"] for r in ok if r["tree_rss_kb"]]
        s["maxrss_mb"] = max(rss) / 1024 if rss else None
        s["tree_rss_mb"] = max(tree) / 1024 if tree else None
        for key in ("threads", "fds"):
            seen = [r[key] for r in ok if r.get(key)]
            s[key] = max(seen) if seen else None
        cpu = [r["cpu_s"] for r in ok if r.get("cpu_s") is not None]
        s["cpu_s"] = statistics.median(cpu) if cpu else None
    return s


def main():
    p = argparse.ArgumentParser(prog="Benchmarks/run", description="deployer against OpenSSH, Ansible, pyinfra, Fabric and parallel-ssh")
    p.add_argument("--hosts", default="1,10,50", help="host counts, comma-separated (default 1,10,50)")
    p.add_argument("--rtt", default="0", help="round-trip times in ms, comma-separated (default 0; e.g. 0,50)")
    p.add_argument("--tools", default=",".join(ALL_TOOLS))
    p.add_argument("--workloads", default=",".join(ALL_WORKLOADS))
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--timeout", type=int, default=600, help="seconds per run (default 600)")
    p.add_argument("--deployer", help="a built deployer binary (default: build with --scratch-path .build-bench)")
    p.add_argument("--out", default=os.path.join(BENCH, "results"), help="where latest.md and latest.json go")
    p.add_argument("--tag", help="also write the results as TAG.md and TAG.json next to latest.*")
    p.add_argument("--keep-work", action="store_true", help="keep the work dir (logs of every run)")
    p.add_argument("--no-verify", action="store_true", help="skip reading the hosts' state after each run")
    p.add_argument("--openssh-kex", default="curve25519-sha256",
                   help="KexAlgorithms of deployer-openssh's ssh_config (default curve25519-sha256, the floor's; "
                        "'default': ssh's own, sntrup761x25519 first on OpenSSH 9.x)")
    p.add_argument("--bastion", action="store_true",
                   help="reach every host through one more sandbox host (ProxyJump, stock sshd); RTT 0 only")
    a = p.parse_args()
    hosts = sorted({int(x) for x in a.hosts.split(",")})
    rtts = sorted({int(x) for x in a.rtt.split(",")})
    tools = [t for t in a.tools.split(",") if t]
    workloads = [w for w in ALL_WORKLOADS if w in a.workloads.split(",")]
    for t in tools:
        if t not in ALL_TOOLS:
            p.error(f"unknown tool {t}; known: {', '.join(ALL_TOOLS)}")
    if not workloads or a.runs < 1 or a.runs > 50 or max(hosts) > 1000 or min(hosts) < 1:
        p.error("need a known workload, 1 ≤ runs ≤ 50, 1 ≤ hosts ≤ 1000")
    if a.bastion and rtts != [0]:
        p.error("--bastion runs at RTT 0 only (the delay proxy sits in front of each host, not of the bastion)")

    work = tempfile.mkdtemp(prefix="deployer-bench.")
    os.chmod(work, 0o755)
    log(f"work dir {work}")
    toolset = Tools(a, work)
    if "deployer" in tools or "deployer-openssh" in tools:
        toolset.find_deployer()
        if toolset.deployer:
            toolset.check_deployer_verbs()
    versions = toolset.versions()
    for t in tools:
        log(f"version {t}: {versions.get(t)}")
    machine = machine_info()
    log(f"machine: {machine.get('cpu')} × {machine.get('cores')}, {machine.get('memory_gb')} GB, load {machine['loadavg_start']}")

    sandbox = Sandbox(work, max(hosts), bastion=a.bastion)
    nets = []

    def cleanup(*_):
        for p in list(RUNNING):
            kill_group(p)
        for net in nets:
            net.stop()
        sandbox.stop()

    def on_signal(signum, _frame):
        cleanup()
        sys.exit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    results = []  # one dict per (hosts, rtt, tool, workload)
    extras = {}
    try:
        sandbox.start()
        artifacts = Artifacts(os.path.join(work, "artifacts"))
        version = [0]

        def next_art():
            version[0] += 1
            return artifacts.get(version[0])

        # Start-up of the binary (target: under 20 ms).
        if toolset.deployer and os.path.exists(toolset.deployer):
            flag = "--version"
            if subprocess.run([toolset.deployer, flag], capture_output=True, timeout=30).returncode != 0:
                flag = "--help"  # --version not there yet: the closest start-up measure
            walls = []
            for _ in range(10):
                t0 = time.monotonic()
                subprocess.run([toolset.deployer, flag], capture_output=True, timeout=30)
                walls.append(time.monotonic() - t0)
            extras["deployer_startup_ms"] = {"command": f"deployer {flag}", "median": statistics.median(walls) * 1000,
                                             "min": min(walls) * 1000}
            log(f"deployer {flag}: median {extras['deployer_startup_ms']['median']:.1f} ms")

        pushed_to = {}  # tool → host count it holds ≥ 2 releases on
        history = {}    # tool → versions pushed, in order
        live = {}       # tool → version its `current` points at
        left = {}       # tool → versions a rollback left (deployer never goes back to one: README, rollback)
        # Every RTT's proxy is up for the whole run, and the RTTs are interleaved within each
        # round, so a change of load on the machine hits 0 ms and 50 ms alike (round trips
        # are differences of medians).
        for rtt in rtts:
            nets.append(Network(work, sandbox, rtt))
        for n in hosts:
            ctxs = {net.rtt: Context(work, sandbox, net, n) for net in nets}
            cell = {(rtt, t, w): [] for rtt in rtts for t in tools for w in workloads}
            log(f"=== {n} host(s), RTT {', '.join(map(str, rtts))} ms: {', '.join(tools)} × {', '.join(workloads)}, "
                f"{a.runs} run(s)")
            # Untimed preconditions: releases to roll back to (older than the rounds' ones).
            if any(w in workloads for w in ("noop", "plan", "rollback")):
                for t in tools:
                    if pushed_to.get(t, 0) >= n or (t, "push") in toolset.missing:
                        continue
                    for _ in range(1 if "push" in workloads else 2):
                        if not untimed_push(toolset, t, ctxs[rtts[0]], next_art(), work, a.timeout, history, live):
                            break
                    pushed_to[t] = n
            for rnd in range(a.runs):
                for ri, rtt in enumerate(rtts):
                    ctx = ctxs[rtt]
                    art = next_art()
                    plan_art = artifacts.get(10000 + art["version"])  # never pushed: the plan shows a change
                    for wi, w in enumerate(workloads):
                        k = (rnd + ri + wi) % len(tools)
                        order = tools[k:] + tools[:k]
                        for t in order:
                            if (t, w) in toolset.missing or (t, w) in NOT_APPLICABLE:
                                continue
                            # Untimed: the round's release is live before noop/plan/rollback when push is not measured.
                            if w in ("noop", "plan", "rollback") and "push" not in workloads and \
                                    live.get(t) != art["version"] and (t, w) not in toolset.missing:
                                untimed_push(toolset, t, ctx, art, work, a.timeout, history, live)
                            use = plan_art if w == "plan" else art
                            try:
                                argv, env, cwd = toolset.command(t, w, ctx, use)
                            except KeyError:
                                continue
                            before = verify(sandbox, ctx, t) if (w == "noop" and not a.no_verify) else None
                            logpath = os.path.join(work, "logs", f"h{n}-rtt{rtt}-{w}-{t}-r{rnd + 1}.log")
                            os.makedirs(os.path.dirname(logpath), exist_ok=True)
                            bastion_before = sandbox.bastion_counts()
                            r = run_timed(argv, env, cwd, a.timeout, logpath, marker=toolset.marker(t, ctx))
                            toolset.after_run(t, ctx)
                            r.update(round=rnd + 1, log=logpath)
                            if sandbox.bastion:
                                after = sandbox.bastion_counts()
                                r.update(bastion_logins=after[0] - bastion_before[0], bastion_refusals=after[1] - bastion_before[1])
                            with open(logpath, errors="replace") as f:
                                out = f.read()
                            if r["rc"] != 0 and t.startswith("deployer") and "not built yet" in out:
                                toolset.missing[(t, w)] = "not implemented yet"
                                log(f"  {t} {w}: not implemented yet; left out")
                                continue
                            if w == "push" and r["rc"] == 0:
                                history.setdefault(t, []).append(art["version"])
                                live[t] = art["version"]
                            if w == "rollback" and r["rc"] == 0 and live.get(t) in history.get(t, []):
                                # The release before the live one; deployer skips the ones a rollback left,
                                # the floor's script (like a plain `ls releases | sort`) does not.
                                skipped = left.setdefault(t, set()) if t.startswith("deployer") else set()
                                pushed = [v for v in sorted(set(history[t])) if v not in skipped or v == live[t]]
                                i = pushed.index(live[t])
                                skipped.add(live[t])
                                live[t] = pushed[i - 1] if i > 0 else None
                            if not a.no_verify and w in ("push", "noop", "rollback", "plan") and r["rc"] == 0:
                                r["problems"] = check_state(verify(sandbox, ctx, t), live.get(t), before)
                            cell[(rtt, t, w)].append(r)
                            status = "ok" if r["rc"] == 0 else f"FAILED rc={r['rc']}" + (" (timeout)" if r["timed_out"] else "")
                            rss = f"{r['maxrss_kb'] / 1024:.0f} MB" if r["maxrss_kb"] else "?"
                            tree = f"{r['tree_rss_kb'] / 1024:.0f} MB" if r["tree_rss_kb"] else "?"
                            probs = f"  PROBLEMS: {'; '.join(r.get('problems') or [])}" if r.get("problems") else ""
                            via = (f"  bastion: {r['bastion_logins']} login(s), {r['bastion_refusals']} refused"
                                   if sandbox.bastion else "")
                            log(f"  r{rnd + 1} {rtt:>3} ms {w:8} {t:9} {r['wall']:7.2f} s  {status}  rss {rss} tree {tree}{via}{probs}")
                            if r["rc"] != 0:
                                log(f"    log: {logpath}: " + " | ".join(out.strip().split("\n")[-3:])[:600])
                            if r["timed_out"]:
                                toolset.missing[(t, w)] = f"timed out after {a.timeout} s; later runs skipped"

            for (rtt, t, w), runs in cell.items():
                if runs:
                    results.append({"hosts": n, "rtt_ms": rtt, "tool": t, "workload": w,
                                    **summarize(runs), "raw": runs})
        for net in nets:
            net.stop()
    finally:
        cleanup()
    machine["loadavg_end"] = os.getloadavg()
    report(a, hosts, rtts, tools, workloads, results, versions, machine, extras, toolset.missing, artifacts)
    if not a.keep_work:
        shutil.rmtree(work, ignore_errors=True)
    else:
        log(f"logs kept in {work}/logs")


def untimed_push(toolset, tool, ctx, art, work, timeout, history, live):
    try:
        argv, env, cwd = toolset.command(tool, "push", ctx, art)
    except KeyError:
        return False
    logpath = os.path.join(work, "logs", f"h{ctx.n}-rtt{ctx.rtt}-warmup-{tool}-v{art['version']}.log")
    os.makedirs(os.path.dirname(logpath), exist_ok=True)
    r = run_timed(argv, env, cwd, timeout, logpath, marker=toolset.marker(tool, ctx))
    toolset.after_run(tool, ctx)
    if r["rc"] != 0:
        with open(logpath, errors="replace") as f:
            out = f.read()
        why = "push not implemented yet" if tool.startswith("deployer") and "not built yet" in out else \
            f"warm-up push failed (rc {r['rc']}{', timed out' if r['timed_out'] else ''})"
        for w in ("push", "noop", "plan", "rollback"):
            toolset.missing.setdefault((tool, w), why)
        log(f"  warm-up push by {tool} failed (rc {r['rc']}): {' | '.join(out.strip().split(chr(10))[-3:])[:400]}")
        return False
    history.setdefault(tool, []).append(art["version"])
    live[tool] = art["version"]
    log(f"  warm-up push by {tool} (v{art['version']}) {r['wall']:.2f} s")
    return True


def check_state(state, live_version, before):
    """The end state every tool must leave; returns a list of problems (empty when fine)."""
    problems = []
    want = str(live_version) if live_version is not None else None
    for alias, s in state.items():
        if "version" not in s:
            problems.append(f"{alias}: could not read the host's state")
            continue
        if want and s.get("version") != want:
            problems.append(f"{alias}: current is v{s.get('version')}, expected v{want}")
        if s.get("logs") != "linked":
            problems.append(f"{alias}: shared logs not linked")
        if s.get("current_is_link") != "yes":
            problems.append(f"{alias}: current is not a symlink")
        try:
            if int(s.get("releases", "0")) > 5:
                problems.append(f"{alias}: {s.get('releases')} releases kept (> 5)")
        except ValueError:
            pass
        if not s.get("restart"):
            problems.append(f"{alias}: restart.txt missing")
        if before is not None and before.get(alias, {}).get("restart") != s.get("restart"):
            problems.append(f"{alias}: no-op push touched restart.txt")
    if len(problems) > 4:
        problems = problems[:4] + [f"… {len(problems) - 4} more"]
    return problems


# ---------------------------------------------------------------- report

def fmt(x, digits=2):
    return "—" if x is None else f"{x:.{digits}f}"


def report(a, hosts, rtts, tools, workloads, results, versions, machine, extras, missing, artifacts):
    os.makedirs(a.out, exist_ok=True)
    idx = {(r["hosts"], r["rtt_ms"], r["tool"], r["workload"]): r for r in results}
    for r in results:
        key = (r["hosts"], r["rtt_ms"])
        dep = idx.get(key + ("deployer", r["workload"]))
        floor = idx.get(key + ("openssh", r["workload"]))
        med = r.get("median")
        r["x_deployer"] = med / dep["median"] if med and dep and dep.get("median") else None
        r["x_floor"] = med / floor["median"] if med and floor and floor.get("median") else None
        if r["rtt_ms"] > 0:
            base = idx.get((r["hosts"], 0, r["tool"], r["workload"]))
            if med and base and base.get("median"):
                r["round_trips"] = (med - base["median"]) / (r["rtt_ms"] / 1000)
    command = "Benchmarks/run " + " ".join([f"--hosts {','.join(map(str, hosts))}", f"--rtt {','.join(map(str, rtts))}",
                                            f"--tools {','.join(tools)}", f"--workloads {','.join(workloads)}",
                                            f"--runs {a.runs}"] + (["--bastion"] if a.bastion else [])
                                           + ([f"--openssh-kex {a.openssh_kex}"] if "deployer-openssh" in tools else []))
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    try:
        commit = sh(["git", "-C", REPO, "rev-parse", "--short", "HEAD"]).strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "?"
    L = [f"# Benchmark results ({now}, commit {commit})", "",
         f"Command: `{command}`", "",
         f"Machine: {machine.get('cpu', '?')}, {machine.get('cores')} cores, {machine.get('memory_gb')} GB, "
         f"{machine.get('os', '')}, kernel {machine.get('kernel')}. Load average at start "
         f"{', '.join(f'{x:.2f}' for x in machine['loadavg_start'])}, at end {', '.join(f'{x:.2f}' for x in machine['loadavg_end'])}.", "",
         "Tools: " + "; ".join(f"{TOOL_NAMES[t]}: {versions.get(t, '?')}" for t in tools), "",
         f"Artifact: {artifacts.get(1)['bytes'] / 1e6:.2f} MB .tar.gz (2 MiB of incompressible assets). "
         f"Wall time in seconds over {a.runs} run(s) (median, min, max); memory in MB: `%M` is /usr/bin/time's "
         "peak RSS of the largest single process of the controller, `tree` the peak of the summed RSS of the "
         "whole process tree, sampled every 100 ms; CPU s is user + system time of the controller's whole "
         "tree (/usr/bin/time %U + %S, median); threads and fds are peaks of the tree's sums, sampled likewise. × deployer and × floor: this tool's median over deployer's "
         "and over the OpenSSH floor's (above 1 = slower).", ""]
    if "deployer_startup_ms" in extras:
        s = extras["deployer_startup_ms"]
        L += [f"`{s['command']}` start-up: median {s['median']:.1f} ms (min {s['min']:.1f} ms, 10 runs).", ""]
    if a.bastion:
        L += ["Every host is reached through one bastion sandbox host (`ProxyJump`, stock sshd: `MaxStartups "
              "10:30:100`, `MaxSessions 10`). Bastion logins and refused connections per run, from its sshd log:", ""]
        for r in results:
            logins = [x.get("bastion_logins", 0) for x in r["raw"]]
            refused = [x.get("bastion_refusals", 0) for x in r["raw"]]
            L.append(f"- {r['hosts']} hosts, {r['workload']}, {TOOL_NAMES[r['tool']]}: logins {logins}, refused {refused}")
        L.append("")
    any_rtt = any(r > 0 for r in rtts)
    head = "| hosts | RTT ms | workload | tool | median s | min | max | CPU s | %M MB | tree MB | threads | fds | × deployer | × floor |" + \
           (" round trips |" if any_rtt else "")
    L += [head, "|" + "---|" * (head.count("|") - 1)]
    for n in hosts:
        for rtt in rtts:
            for w in workloads:
                for t in tools:
                    r = idx.get((n, rtt, t, w))
                    if r is None:
                        why = missing.get((t, w)) or NOT_APPLICABLE.get((t, w)) or "not run"
                        row = f"| {n} | {rtt} | {w} | {TOOL_NAMES[t]} | n/a: {why} | | | | | | | | | |"
                        L.append(row + (" |" if any_rtt else ""))
                        continue
                    failed = r["runs"] - r["ok"]
                    med = fmt(r.get("median")) + (f" ({failed}/{r['runs']} failed)" if failed else "")
                    if (t, w) in missing:
                        med += f" ({missing[(t, w)]})"
                    probs = sum(1 for x in r["raw"] if x.get("problems"))
                    if probs:
                        med += f" ⚠ state check failed in {probs} run(s)"
                    row = (f"| {n} | {rtt} | {w} | {TOOL_NAMES[t]} | {med} | {fmt(r.get('min'))} | {fmt(r.get('max'))} | "
                           f"{fmt(r.get('cpu_s'), 1)} | {fmt(r.get('maxrss_mb'), 0)} | {fmt(r.get('tree_rss_mb'), 0)} | "
                           f"{r.get('threads') or '—'} | {r.get('fds') or '—'} | "
                           f"{fmt(r.get('x_deployer'))} | {fmt(r.get('x_floor'))} |")
                    if any_rtt:
                        row += f" {fmt(r.get('round_trips'), 1) if rtt > 0 else ''} |"
                    L.append(row)
    L += ["", "What each tool runs: see Benchmarks/README.md. Fabric and parallel-ssh have no dry-run mode; "
          "the OpenSSH floor's plan is one read-only probe script per host.", ""]
    problems = [(r, x) for r in results for x in r["raw"] if x.get("problems")]
    if problems:
        L += ["State check problems (first per cell):", ""]
        seen = set()
        for r, x in problems:
            k = (r["hosts"], r["rtt_ms"], r["tool"], r["workload"])
            if k not in seen:
                seen.add(k)
                L.append(f"- {k[0]} hosts, {k[1]} ms, {TOOL_NAMES[k[2]]} {k[3]} r{x['round']}: {'; '.join(x['problems'])}")
        L.append("")
    md = "\n".join(L)
    names = ["latest"] + ([a.tag] if a.tag else [])
    for name in names:
        with open(os.path.join(a.out, f"{name}.md"), "w") as f:
            f.write(md)
    for r in results:
        for x in r["raw"]:
            x.pop("log", None)
    for name in names:
        with open(os.path.join(a.out, f"{name}.json"), "w") as f:
            json.dump({"command": command, "date": now, "commit": commit, "machine": machine, "versions": versions,
                       "extras": extras, "not_measured": {f"{t}/{w}": why for (t, w), why in missing.items()},
                       "results": results}, f, indent=1)
    print(md)


if __name__ == "__main__":
    main()
