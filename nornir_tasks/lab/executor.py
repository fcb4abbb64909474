"""The lab executor: turns a :class:`~nornir_tasks.lab.plan.LabPlan` into network namespaces, veth pairs,
FRR instances, lldpd and sshd processes, a login user, and removes exactly those again.

Recipe (measured facts in ``docs/LAB.md``):

* a router = network namespace ``<tag><i>`` + UTS namespace (its own hostname) + FRR named instance
  (``/etc/frr/<ns>/{daemons,frr.conf,vtysh.conf}``; ``watchfrr -N <ns> --netns`` — what ``frrinit.sh start
  <ns>`` runs, started directly to save its shell start-up — starts zebra, staticd, ospfd and bgpd inside
  the namespace, each loading its part of ``frr.conf``) + ``lldpd`` with its own control socket;
* per namespace ``ip_forward=1``, IPv6 forwarding on, ``igmp_max_memberships`` raised (ospfd joins 224.0.0.5
  on every interface);
* one host ``sshd`` per 16 routers, each router on its own ``127.<slot>.x.y``; ``Match LocalAddress`` runs a
  root-owned login wrapper (through sudo) that enters the router's namespaces, drops to the login user and
  runs ``vtysh -N <ns>``; an SSH command (``ssh user@addr lldpcli show neighbors``, or ``shell``) runs in a
  shell inside the router instead.

Everything created is recorded in ``<lab_dir>/state.json`` before it is created, so ``down`` removes exactly
that and reports what it could not remove. Processes are only ever killed by PID: daemons found in the lab's
own namespaces, lldpd/sshd PIDs recorded at start, and sessions of the lab's own login user.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import secrets
import shutil
import signal
import socket
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Iterable

from pydantic import BaseModel, ConfigDict, Field

from nornir_tasks.errors import ConfigError, LabError
from nornir_tasks.fileio import write_if_changed
from nornir_tasks.lab.configs import Drift
from nornir_tasks.lab.plan import LabLink, LabPlan, LabRouter, router_address
from nornir_tasks.platforms import info

logger = logging.getLogger(__name__)

APT_LINE = "apt-get install -y frr frr-pythontools openssh-server lldpd sudo iproute2 iputils-ping"
#: program → Debian package that provides it
REQUIRED: dict[str, str] = {
    "/usr/lib/frr/frrinit.sh": "frr", "/usr/lib/frr/watchfrr": "frr", "/usr/bin/vtysh": "frr",
    "/usr/lib/frr/frr-reload.py": "frr-pythontools", "/usr/sbin/sshd": "openssh-server",
    "ssh-keygen": "openssh-client", "/usr/sbin/lldpd": "lldpd", "/usr/sbin/lldpcli": "lldpd",
    "sudo": "sudo", "ip": "iproute2", "nsenter": "util-linux", "unshare": "util-linux", "setpriv": "util-linux",
    "useradd": "passwd", "userdel": "passwd", "chpasswd": "passwd",
}
FRR_DAEMONS = ("zebra", "staticd", "ospfd", "bgpd")
#: top-level lines frr-reload.py refuses to remove (it leaves them in place)
UNRELOADABLE = ("password ", "enable password ", "username ")
RUN_ROOT = Path("/run/govnet-lab")
SSH_PORTS = (22, 2222, 2223, 2224)
_WORKERS = 8
_lock = threading.Lock()


class RunFailed(LabError):
    code = "LAB-003"


# ---------------------------------------------------------------------------------------------------------
# State on disk
# ---------------------------------------------------------------------------------------------------------
class Created(BaseModel):
    """What ``up`` created (recorded before creating it)."""

    model_config = ConfigDict(extra="forbid")
    netns: list[str] = Field(default_factory=list)
    mounts: list[str] = Field(default_factory=list)
    users: list[str] = Field(default_factory=list)
    paths: list[str] = Field(default_factory=list)          # files and folders, removed in reverse order


class LabState(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int = 1
    plan: LabPlan
    user: str
    start_from: str = "intended"
    run_dir: str
    created: Created = Field(default_factory=Created)
    lldpd: dict[str, int] = Field(default_factory=dict)      # netns → pid
    sshd: dict[str, int] = Field(default_factory=dict)       # group index → pid
    stub_kind: str = "dummy"
    vlan_kind: str = "vlan"


class LabPaths:
    """Where a lab keeps its files: ``lab_dir`` (overlay, state, drift, configs, logs) and a run folder
    under ``/run/govnet-lab/<tag>`` (UTS namespace files, sockets, sshd configs, the login wrapper)."""

    def __init__(self, lab_dir: Path, tag: str) -> None:
        self.lab_dir = Path(lab_dir).resolve()
        self.run = RUN_ROOT / tag
        self.overlay = self.lab_dir / "overlay.yaml"
        self.state = self.lab_dir / "state.json"
        self.drift = self.lab_dir / "drift.json"
        self.configs = self.lab_dir / "configs"
        self.logs = self.lab_dir / "logs"
        self.uts = self.run / "uts"
        self.lldpd = self.run / "lldpd"
        self.bin = self.run / "bin"
        self.home = self.run / "home"
        self.login = self.run / "login"
        self.hostkey = self.run / "ssh_host_ed25519_key"
        self.sudoers = Path(f"/etc/sudoers.d/govnet-lab-{tag}")

    def intended(self, name: str) -> Path:
        return self.configs / f"{name}.intended.conf"

    def start(self, name: str) -> Path:
        return self.configs / f"{name}.start.conf"

    def frr_dir(self, ns: str) -> Path:
        return Path("/etc/frr") / ns

    def frr_run(self, ns: str) -> Path:
        return Path("/run/frr") / ns


def read_state(lab_dir: Path) -> LabState | None:
    path = Path(lab_dir) / "state.json"
    if not path.exists():
        return None
    try:
        return LabState.model_validate_json(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise LabError(f"{path}: the lab state file is unreadable ({exc.__class__.__name__})", code="LAB-003",
                       hint="remove what the lab left behind by hand (ip netns list) and delete the file") from exc


def _save_state(paths: LabPaths, state: LabState) -> None:
    with _lock:
        paths.lab_dir.mkdir(parents=True, exist_ok=True)
        write_if_changed(paths.state, state.model_dump_json(indent=2) + "\n")


# ---------------------------------------------------------------------------------------------------------
# Running commands
# ---------------------------------------------------------------------------------------------------------
def run(cmd: list[str], *, check: bool = True, input: str | None = None, timeout: float = 60,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run a command; a failure becomes a :class:`LabError` (LAB-003) naming the command and its message."""
    logger.debug("run %s", " ".join(cmd))
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, input=input, timeout=timeout,
                              env=env if env is not None else _clean_env(), stdin=None if input else subprocess.DEVNULL)
    except FileNotFoundError as exc:
        raise RunFailed(f"program {cmd[0]} not found", code="LAB-002", hint=f"run: {APT_LINE}") from exc
    except subprocess.TimeoutExpired as exc:
        raise RunFailed(f"'{' '.join(cmd[:6])}' did not finish within {timeout:.0f} s", code="LAB-003",
                        hint="the machine may be overloaded; try a smaller --filter") from exc
    if check and proc.returncode != 0:
        msg = (proc.stderr or proc.stdout).strip().splitlines()
        raise RunFailed(f"'{' '.join(cmd[:8])}' failed: {msg[-1] if msg else f'exit {proc.returncode}'}",
                        code="LAB-003", hint="see the message; 'govnet lab down' removes a half-built lab")
    return proc


def _clean_env() -> dict[str, str]:
    keep = {"LANG", "LC_ALL", "TERM"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    return env


def preflight() -> None:
    """Refuse with a sentence when not root or when a needed program is missing (naming the apt-get line)."""
    if os.geteuid() != 0:
        raise LabError("the lab needs root (it creates network namespaces, users and daemons)", code="LAB-001",
                       hint="run it as root, e.g. 'sudo -E govnet lab up'")
    path = _clean_env()["PATH"]
    missing = sorted({pkg for prog, pkg in REQUIRED.items()
                      if not (os.access(prog, os.X_OK) if prog.startswith("/") else shutil.which(prog, path=path))})
    if missing:
        raise LabError(f"the lab needs Debian packages that are not installed: {', '.join(missing)}",
                       code="LAB-002", hint=f"install them with: {APT_LINE}")


def _alive(pid: int | None, needle: str | None = None) -> bool:
    if not pid:
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    if stat.split(")")[-1].split()[0] == "Z":
        return False
    return needle is None or needle in cmdline


def _alive_in(pid: int | None, ns: str, comm: str) -> bool:
    """True when ``pid`` runs program ``comm`` inside namespace ``ns`` (daemons that rewrite their title)."""
    if not _alive(pid):
        return False
    try:
        same = os.stat(f"/proc/{pid}/ns/net").st_ino == os.stat(f"/run/netns/{ns}").st_ino
        return same and Path(f"/proc/{pid}/comm").read_text().strip() == comm
    except OSError:
        return False


def _kill(pid: int, sig: int = signal.SIGTERM) -> bool:
    try:
        os.kill(pid, sig)
        return True
    except ProcessLookupError:
        return True
    except OSError:
        return False


def _wait_gone(pids: Iterable[int], timeout: float = 5.0) -> list[int]:
    pending = [p for p in pids if _alive(p)]
    deadline = time.monotonic() + timeout
    while pending and time.monotonic() < deadline:
        time.sleep(0.1)
        pending = [p for p in pending if _alive(p)]
    return pending


def netns_exists(ns: str) -> bool:
    return Path("/run/netns", ns).exists()


def netns_pids(ns: str) -> list[int]:
    if not netns_exists(ns):
        return []
    proc = run(["ip", "netns", "pids", ns], check=False)
    return [int(x) for x in proc.stdout.split() if x.isdigit()]


def _pidfile(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def choose_port(address: str, candidates: Iterable[int] = SSH_PORTS) -> int:
    """The first SSH port from ``candidates`` that is free on ``address`` (port 22 if nothing listens there)."""
    for port in candidates:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind((address, port))
                return port
            except OSError:
                continue
    raise LabError(f"no free SSH port for the lab on {address} (tried {', '.join(map(str, candidates))})",
                   code="LAB-003", hint="stop what listens on those ports, or use another --slot")


# ---------------------------------------------------------------------------------------------------------
# Files the lab writes
# ---------------------------------------------------------------------------------------------------------
def daemons_file(bgp: bool) -> str:
    """The ``daemons`` file of one FRR instance (watchfrr joins the existing namespace with ``--netns``).

    Examples:
        >>> "bgpd=no" in daemons_file(False), 'watchfrr_options="--netns"' in daemons_file(True)
        (True, True)
    """
    lines = ["zebra=yes", "staticd=yes", "ospfd=yes", f"bgpd={'yes' if bgp else 'no'}",
             "ospf6d=no", "ripd=no", "ripngd=no", "isisd=no", "pimd=no", "ldpd=no", "nhrpd=no", "eigrpd=no",
             "babeld=no", "sharpd=no", "pbrd=no", "bfdd=no", "fabricd=no", "vrrpd=no", "pathd=no",
             "vtysh_enable=yes", 'watchfrr_options="--netns"', 'zebra_options="-P 0 -s 90000000"',
             'staticd_options="-P 0"', 'ospfd_options="-P 0"', 'bgpd_options="-P 0"', 'frr_profile="traditional"']
    return "\n".join(lines) + "\n"


def login_wrapper(run_dir: Path) -> str:
    """The root-owned login wrapper sshd's ForceCommand runs through sudo: ``login <netns> [command]``.

    Without a command the user lands in the router's vtysh; ``shell`` gives an interactive shell in the router,
    any other command runs in a shell in the router (``lldpcli`` talks to the router's own lldpd).
    """
    return f"""#!/bin/sh
# govnet lab login wrapper (generated; removed by 'govnet lab down')
set -eu
RUN={run_dir}
ns="${{1:-}}"
cmd="${{2:-}}"
case "$ns" in ""|*[!a-z0-9]*) echo "lab: bad router name" >&2; exit 1;; esac
if [ ! -e "/run/netns/$ns" ] || [ ! -e "$RUN/uts/$ns" ]; then
  echo "lab: router $ns is not running" >&2; exit 1
fi
user="${{SUDO_USER:?}}"
gid="$(id -g "$user")"
set -- nsenter "--net=/run/netns/$ns" "--uts=$RUN/uts/$ns" setpriv "--reuid=$user" "--regid=$gid" --init-groups --
ENVV="HOME=$RUN/home PATH=$RUN/bin:/usr/sbin:/usr/bin:/sbin:/bin GOVNET_LLDPD_SOCKET=$RUN/lldpd/$ns.sock GOVNET_FRR_INSTANCE=$ns TERM=${{TERM:-vt100}}"
if [ -z "$cmd" ]; then
  exec "$@" env -i $ENVV /usr/bin/vtysh -N "$ns"
elif [ "$cmd" = shell ]; then
  exec "$@" env -i $ENVV /bin/sh -i
else
  exec "$@" env -i $ENVV /bin/sh -c "$cmd"
fi
"""


LLDPCLI_WRAPPER = '#!/bin/sh\nexec /usr/sbin/lldpcli -u "${GOVNET_LLDPD_SOCKET:?}" "$@"\n'
#: In a router's shell, ``vtysh`` talks to that router's FRR (as on a real FRR box), e.g. for napalm_frr's
#: device-side revert timer.
VTYSH_WRAPPER = '#!/bin/sh\nexec /usr/bin/vtysh -N "${GOVNET_FRR_INSTANCE:?}" "$@"\n'


def sshd_config(plan: LabPlan, group: int, paths: LabPaths, user: str) -> str:
    """One sshd's configuration: up to 16 routers, each on its own loopback address."""
    routers = [plan.router(n) for n in plan.sshd_groups[group]]
    lines = [f"# govnet lab {plan.tag}: sshd {group} (generated)", f"Port {plan.port}"]
    lines += [f"ListenAddress {r.address}" for r in routers]
    lines += [
        f"HostKey {paths.hostkey}", f"PidFile {paths.run / f'sshd-{group}.pid'}", "UsePAM no",
        "PasswordAuthentication yes", "KbdInteractiveAuthentication no", "PubkeyAuthentication no",
        "PermitRootLogin no", f"AllowUsers {user}", "X11Forwarding no", "AllowTcpForwarding no",
        "AllowAgentForwarding no", "PermitTunnel no", "PrintMotd no", "PrintLastLog no", "UseDNS no",
        "MaxStartups 200:30:400", "MaxSessions 20", "LoginGraceTime 60", "LogLevel ERROR",
        "Subsystem sftp internal-sftp",
    ]
    for r in routers:
        lines += [f"Match LocalAddress {r.address}",
                  f'  ForceCommand sudo -n {paths.login} {r.netns} "$SSH_ORIGINAL_COMMAND"']
    return "\n".join(lines) + "\n"


def overlay_data(plan: LabPlan) -> dict[str, Any]:
    """The Nornir inventory overlay: each device reached at its lab router, as an FRR router.

    Examples:
        >>> from nornir_tasks.lab.plan import LabRouter
        >>> p = LabPlan(tag="gv", slot=1, port=22, routers=(LabRouter(name="r1", index=1, netns="gv1",
        ...             address="127.1.0.1", port=22, platform="cisco_ios", role="ce_router"),))
        >>> overlay_data(p)["hosts"]["r1"]["connection_options"]["netmiko"]["platform"]
        'cisco_ios'
    """
    frr = info("frr")
    extras = {"conn_timeout": 20, "auth_timeout": 30, "banner_timeout": 30, "blocking_timeout": 30}
    hosts = {}
    for r in plan.routers:
        hosts[r.name] = {
            "hostname": r.address, "port": r.port, "platform": "frr",
            "connection_options": {
                "netmiko": {"platform": frr.netmiko_device_type, "extras": extras},
                "napalm": {"platform": frr.napalm_driver, "extras": {"optional_args": {"port": r.port}}},
            },
        }
    return {"lab": {"tag": plan.tag, "slot": plan.slot, "port": plan.port}, "hosts": hosts}


# ---------------------------------------------------------------------------------------------------------
# The executor
# ---------------------------------------------------------------------------------------------------------
class Lab:
    """Builds, inspects, breaks and removes one lab. ``lab_dir`` holds its state."""

    def __init__(self, lab_dir: Path, tag: str = "gv") -> None:
        self.lab_dir = Path(lab_dir).resolve()
        state = read_state(self.lab_dir)
        self.state = state
        self.paths = LabPaths(self.lab_dir, state.plan.tag if state else tag)

    # -- helpers -----------------------------------------------------------------------------------------
    def _record(self, kind: str, item: str) -> None:
        assert self.state is not None
        items = getattr(self.state.created, kind)
        if item not in items:
            items.append(item)
            _save_state(self.paths, self.state)

    def _mkdir(self, path: Path, mode: int = 0o755) -> None:
        missing = []
        p = path
        while not p.exists():
            missing.append(p)
            p = p.parent
        for d in reversed(missing):
            self._record("paths", str(d))
            d.mkdir(mode=mode, exist_ok=True)
            os.chmod(d, mode)

    def _write(self, path: Path, text: str, mode: int = 0o644) -> None:
        self._mkdir(path.parent)
        if not path.exists():
            self._record("paths", str(path))
        write_if_changed(path, text)
        os.chmod(path, mode)

    def _uts(self, r: LabRouter) -> str:
        return str(self.paths.uts / r.netns)

    def vtysh(self, r: LabRouter, *commands: str, timeout: float = 30) -> str:
        """Run vtysh commands in a router (as root, in its UTS namespace so the hostname is its own)."""
        cmd = ["nsenter", f"--uts={self._uts(r)}", "vtysh", "-N", r.netns]
        for c in commands:
            cmd += ["-c", c]
        return run(cmd, timeout=timeout).stdout

    def require_state(self) -> LabState:
        """The lab's state as on disk now (another process may have changed it); LAB-004 when no lab is up."""
        fresh = read_state(self.lab_dir)     # another process (the CLI) may have changed it
        if fresh is not None:
            self.state = fresh
        if self.state is None:
            raise LabError("the lab is not up (no lab state found)", code="LAB-004", hint="run 'govnet lab up' first")
        return self.state

    # -- up ----------------------------------------------------------------------------------------------
    def up(self, plan: LabPlan, intended: dict[str, str], start: dict[str, str], *, user: str, password: str,
           start_from: str = "intended", drifts: dict[str, list[Drift]] | None = None,
           progress: Callable[[str], None] = lambda s: None) -> LabState:
        """Build the lab (idempotent: what exists is kept, what is missing is created)."""
        preflight()
        _check_user_name(user)
        if self.state is not None and (self.state.plan != plan or self.state.user != user):
            progress("the lab that is up differs from the one asked for: removing it first")
            leftovers = self.down()
            if leftovers:
                raise LabError("could not remove the previous lab: " + "; ".join(leftovers), code="LAB-003",
                               hint="remove those by hand, then run 'govnet lab up' again")
        if self.state is None:
            self.paths = LabPaths(self.lab_dir, plan.tag)
            self.state = LabState(plan=plan, user=user, start_from=start_from, run_dir=str(self.paths.run))
            self._mkdir(self.paths.lab_dir)
            _save_state(self.paths, self.state)
        state = self.state
        restart_from = state.start_from != start_from
        state.start_from = start_from
        paths = self.paths
        if not RUN_ROOT.exists():
            self._mkdir(RUN_ROOT)
        for d in (paths.run, paths.uts, paths.lldpd, paths.bin, paths.configs, paths.logs):
            self._mkdir(d)
        self._write(paths.login, login_wrapper(paths.run), 0o755)
        self._write(paths.bin / "lldpcli", LLDPCLI_WRAPPER, 0o755)
        self._write(paths.bin / "vtysh", VTYSH_WRAPPER, 0o755)
        if not paths.hostkey.exists():
            self._record("paths", str(paths.hostkey))
            self._record("paths", str(paths.hostkey) + ".pub")
            run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"govnet-lab-{plan.tag}", "-f", str(paths.hostkey)])
        for r in plan.routers:
            self._write(paths.intended(r.name), intended[r.name])
            self._write(paths.start(r.name), start[r.name])
        self._ensure_user(user, password)
        self._probe_kinds(plan)

        progress(f"creating {len(plan.routers)} router namespaces")
        self._parallel(self._ensure_netns, plan.routers)
        self._ensure_links(plan.links)
        self._parallel(self._ensure_stubs, plan.routers)
        progress("starting FRR and lldpd in every router")
        self._parallel(lambda r: self._ensure_frr(r, intended[r.name], start[r.name]), plan.routers)
        self._parallel(self._ensure_lldpd, plan.routers)
        if restart_from:
            progress(f"loading the {start_from} config into every router")
            self._parallel(lambda r: self.load(r.name, paths.start(r.name)), plan.routers)
        progress(f"starting {len(plan.sshd_groups)} sshd for SSH access on port {plan.port}")
        for g in range(len(plan.sshd_groups)):
            self._ensure_sshd(g)
        self._write(paths.overlay, _yaml(overlay_data(plan)))
        if drifts is not None and start_from == "drifted":
            self._write(paths.drift, json.dumps({n: [d.model_dump() for d in ds] for n, ds in drifts.items()},
                                                ensure_ascii=False, indent=2) + "\n")
        elif paths.drift.exists():
            paths.drift.unlink()
        _save_state(paths, state)
        return state

    def _parallel(self, fn: Callable[[LabRouter], Any], routers: Iterable[LabRouter]) -> None:
        with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
            for _ in pool.map(fn, routers):
                pass

    def _ensure_user(self, user: str, password: str) -> None:
        assert self.state is not None
        exists = run(["getent", "passwd", user], check=False).returncode == 0
        if exists and user not in self.state.created.users:
            raise LabError(f"the user {user!r} already exists on this machine and was not created by the lab",
                           code="LAB-003", hint="set the login name variable (GOVNET_USERNAME) to a name the lab "
                                                "can create for itself")
        if not exists:
            self._record("users", user)
            run(["useradd", "--no-create-home", "--home-dir", str(self.paths.home), "--shell", "/bin/sh",
                 "--groups", "frrvty,frr,adm", "--comment", f"govnet lab {self.state.plan.tag}", user])
        self._mkdir(self.paths.home, 0o700)
        shutil.chown(self.paths.home, user=user)
        run(["chpasswd"], input=f"{user}:{password}\n")
        self._write(self.paths.sudoers, f"# govnet lab {self.state.plan.tag} (generated)\n"
                                        f"Defaults:{user} !lecture, !syslog\n"
                                        f"{user} ALL=(root) NOPASSWD: {self.paths.login}\n", 0o440)

    def _probe_kinds(self, plan: LabPlan) -> None:
        """Which link types stand in for dummy and 802.1Q interfaces (some kernels lack those modules)."""
        assert self.state is not None
        need_stub = any(i.kind == "stub" for r in plan.routers for i in r.interfaces)
        need_vlan = any(i.kind == "vlan" for r in plan.routers for i in r.interfaces)
        if not (need_stub or need_vlan):
            return
        probe = f"{plan.tag}probe"
        run(["ip", "netns", "add", probe], check=False)
        try:
            ok = run(["ip", "-n", probe, "link", "add", "p0", "type", "dummy"], check=False).returncode == 0
            self.state.stub_kind = "dummy" if ok else "ifb"
            if not ok:
                run(["ip", "-n", probe, "link", "add", "p0", "type", "veth", "peer", "p1"], check=False)
            ok = run(["ip", "-n", probe, "link", "add", "link", "p0", "name", "p0.5", "type", "vlan", "id", "5"],
                     check=False).returncode == 0
            self.state.vlan_kind = "vlan" if ok else self.state.stub_kind
        finally:
            run(["ip", "netns", "del", probe], check=False)

    def _ensure_netns(self, r: LabRouter) -> None:
        uts = Path(self._uts(r))
        if not netns_exists(r.netns):
            self._record("netns", r.netns)
            run(["ip", "netns", "add", r.netns])
        if not uts.exists():
            self._record("paths", str(uts))
            uts.touch()
        if str(uts) not in _mounts():
            self._record("mounts", str(uts))
            run(["unshare", f"--uts={uts}", "hostname", r.name])
        sysctls = ("echo 1 > /proc/sys/net/ipv4/ip_forward; echo 1 > /proc/sys/net/ipv6/conf/all/forwarding; "
                   "echo 1 > /proc/sys/net/ipv6/conf/default/forwarding; "
                   "echo 0 > /proc/sys/net/ipv6/conf/default/accept_dad; "
                   "echo 0 > /proc/sys/net/ipv6/conf/all/accept_dad; "
                   "echo 1024 > /proc/sys/net/ipv4/igmp_max_memberships")
        run(["ip", "netns", "exec", r.netns, "sh", "-c", sysctls])
        batch = ["link set lo up"]
        if r.loopback:
            batch.append(f"address replace {r.loopback} dev lo")
        run(["ip", "-n", r.netns, "-batch", "-"], input="\n".join(batch) + "\n")

    def _links_of(self, ns: str) -> set[str]:
        out = run(["ip", "-n", ns, "-o", "link", "show"], check=False).stdout
        return {line.split(":")[1].strip().split("@")[0] for line in out.splitlines() if ":" in line}

    def _ensure_links(self, links: Iterable[LabLink]) -> None:
        assert self.state is not None
        plan = self.state.plan
        existing = {r.netns: self._links_of(r.netns) for r in plan.routers}
        batch: list[str] = []
        for link in links:
            a, z = plan.router(link.a_router), plan.router(link.z_router)
            if link.a_interface in existing[a.netns] and link.z_interface in existing[z.netns]:
                continue
            for ns, itf in ((a.netns, link.a_interface), (z.netns, link.z_interface)):
                if itf in existing[ns]:
                    run(["ip", "-n", ns, "link", "del", itf], check=False)   # half a pair: rebuild it
            batch.append(f"link add {link.a_interface} netns {a.netns} type veth peer {link.z_interface} netns {z.netns}")
        if batch:
            run(["ip", "-batch", "-"], input="\n".join(batch) + "\n", timeout=120)
        for r in plan.routers:
            ups = [f"link set {i.name} up" for i in r.interfaces if i.kind == "veth"]
            if ups:
                run(["ip", "-n", r.netns, "-batch", "-"], input="\n".join(ups) + "\n")

    def _ensure_stubs(self, r: LabRouter) -> None:
        assert self.state is not None
        have = self._links_of(r.netns)
        batch: list[str] = []
        for itf in r.interfaces:
            if itf.kind == "veth" or itf.name in have:
                continue
            kind = self.state.stub_kind if itf.kind == "stub" else self.state.vlan_kind
            if kind == "vlan":
                batch.append(f"link add link {itf.parent} name {itf.name} type vlan id {itf.vlan}")
            else:
                batch.append(f"link add {itf.name} type {kind}")
            batch.append(f"link set {itf.name} up")
        if batch:
            run(["ip", "-n", r.netns, "-batch", "-"], input="\n".join(batch) + "\n")

    def _ensure_frr(self, r: LabRouter, intended: str, start: str) -> None:
        d = self.paths.frr_dir(r.netns)
        if not d.exists():
            self._record("paths", str(d))
            d.mkdir(mode=0o750)
        self._record("paths", str(self.paths.frr_run(r.netns)))
        bgp = "router bgp" in intended
        files = {"daemons": daemons_file(bgp), "vtysh.conf": "service integrated-vtysh-config\n"}
        watchfrr = _pidfile(self.paths.frr_run(r.netns) / "watchfrr.pid")
        running = _alive(watchfrr, f"-N {r.netns}")
        if not running:
            files["frr.conf"] = start
        for fname, text in files.items():
            write_if_changed(d / fname, text)
            os.chmod(d / fname, 0o640)
            shutil.chown(d / fname, user="frr", group="frr")
        shutil.chown(d, user="frr", group="frr")
        if running:
            return
        log = self.paths.logs / f"{r.name}.frr.log"
        # what 'frrinit.sh start <ns>' does, without its shell start-up cost: watchfrr joins the namespace and
        # starts each daemon through watchfrr.sh, which applies the daemon's part of frr.conf (vtysh -b -d)
        vpath = self.paths.frr_run(r.netns)
        vpath.mkdir(mode=0o750, exist_ok=True)
        shutil.chown(vpath, user="frr", group="frr")
        os.chmod(vpath, 0o750)
        daemons = [d for d in ("zebra", "bgpd", "ospfd", "staticd") if d != "bgpd" or bgp]
        proc = run(["nsenter", f"--uts={self._uts(r)}", "/usr/lib/frr/watchfrr", "-N", r.netns, "-d", "-F",
                    "traditional", "--netns", *daemons], check=False, timeout=90)
        write_if_changed(log, proc.stdout + proc.stderr)
        if not _alive(_pidfile(self.paths.frr_run(r.netns) / "watchfrr.pid")):
            raise LabError(f"{r.name}: FRR did not start in namespace {r.netns}", code="LAB-003",
                           hint=f"see {log}")

    def _ensure_lldpd(self, r: LabRouter) -> None:
        assert self.state is not None
        sock = self.paths.lldpd / f"{r.netns}.sock"
        pid = self.state.lldpd.get(r.netns)
        if _alive_in(pid, r.netns, "lldpd"):
            return
        conf = self.paths.lldpd / f"{r.netns}.conf"
        self._write(conf, f"configure system hostname {r.name}\nconfigure lldp tx-interval 5\n"
                          "configure lldp portidsubtype ifname\n")
        for p in (sock, Path(str(sock) + ".lock")):
            self._record("paths", str(p))
            if p.exists():
                p.unlink()
        log = open(self.paths.logs / f"{r.name}.lldpd.log", "ab")   # noqa: SIM115 - handed to the daemon
        try:
            proc = subprocess.Popen(["ip", "netns", "exec", r.netns, "nsenter", f"--uts={self._uts(r)}",
                                     "lldpd", "-d", "-u", str(sock), "-O", str(conf)],
                                    stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True,
                                    env=_clean_env())
        finally:
            log.close()
        with _lock:
            self.state.lldpd[r.netns] = proc.pid
        _save_state(self.paths, self.state)

    def _ensure_sshd(self, group: int) -> None:
        assert self.state is not None
        pid = self.state.sshd.get(str(group))
        conf = self.paths.run / f"sshd-{group}.conf"
        text = sshd_config(self.state.plan, group, self.paths, self.state.user)
        changed = not conf.exists() or conf.read_text() != text
        if _alive(pid, str(conf)) and not changed:
            return
        if _alive(pid, str(conf)):
            _kill(pid)  # type: ignore[arg-type]
            _wait_gone([pid])  # type: ignore[list-item]
        self._write(conf, text, 0o600)
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)   # sshd's privilege-separation folder (system's)
        pidfile = self.paths.run / f"sshd-{group}.pid"
        self._record("paths", str(pidfile))
        run(["/usr/sbin/sshd", "-t", "-f", str(conf)])
        run(["/usr/sbin/sshd", "-f", str(conf), "-E", str(self.paths.logs / f"sshd-{group}.log")])
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not _alive(_pidfile(pidfile)):
            time.sleep(0.05)
        new = _pidfile(pidfile)
        if not _alive(new):
            raise LabError(f"sshd {group} of the lab did not start", code="LAB-003",
                           hint=f"see {self.paths.logs / f'sshd-{group}.log'}")
        self.state.sshd[str(group)] = new  # type: ignore[assignment]
        _save_state(self.paths, self.state)

    # -- reset, revive, faults ---------------------------------------------------------------------------
    def revive(self, name: str) -> None:
        """Start whatever of a router is not running (FRR from its saved config, lldpd); links untouched."""
        state = self.require_state()
        r = state.plan.router(name)
        if not netns_exists(r.netns):
            raise LabError(f"{name}: its namespace {r.netns} is gone", code="LAB-004",
                           hint="run 'govnet lab up' to rebuild the lab")
        d = self.paths.frr_dir(r.netns)
        saved = (d / "frr.conf").read_text() if (d / "frr.conf").exists() else self.paths.start(name).read_text()
        if not self._frr_alive(r):
            self._stop_frr(r)
        self._ensure_frr(r, self.paths.intended(name).read_text(), saved)
        self._ensure_lldpd(r)

    def reset(self, name: str) -> str:
        """Put a router back to its intended config (``frr-reload.py``), links up and daemons running;
        saves the result as its startup config. Returns frr-reload's output."""
        state = self.require_state()
        r = state.plan.router(name)
        self.revive(name)
        self.set_links(name, None, up=True)
        out = self.load(r.name, self.paths.intended(name))
        if self.paths.drift.exists():   # the router holds no seeded drift any more
            with _lock:
                recorded = json.loads(self.paths.drift.read_text())
                if recorded.pop(name, None) is not None:
                    write_if_changed(self.paths.drift, json.dumps(recorded, ensure_ascii=False, indent=2) + "\n")
        return out

    def load(self, name: str, config: Path) -> str:
        """Make a router's running config equal to ``config`` with ``frr-reload.py`` and save it."""
        state = self.require_state()
        r = state.plan.router(name)
        self._wait_daemons(r)
        proc = run(["nsenter", f"--uts={self._uts(r)}", "/usr/lib/frr/frr-reload.py", "--reload", "--stdout",
                    "--overwrite", "-N", r.netns, str(config)], check=False, timeout=120)
        if proc.returncode != 0:
            raise LabError(f"{name}: frr-reload.py could not load {config}: "
                           f"{' '.join((proc.stderr or proc.stdout).strip().splitlines()[-1:])}", code="LAB-003",
                           hint=f"compare {config} with 'show running-config' on the router")
        # frr-reload.py never removes some top-level lines (vty passwords, usernames): remove those by hand
        wanted = set(config.read_text().splitlines())
        extra = [line for line in self.vtysh(r, "show running-config").splitlines()
                 if line.startswith(UNRELOADABLE) and line not in wanted]
        if extra:
            self.vtysh(r, "configure terminal", *(_negate_unreloadable(line) for line in extra), "end",
                       "write memory")
        return proc.stdout

    def drift(self, names: Iterable[str]) -> dict[str, list[Drift]]:
        """Seed drift into running routers (same choice as ``--start-from drifted``), load it, and record it in
        ``drift.json`` (merged with what is there). :meth:`reset` undoes it."""
        from nornir_tasks.lab.configs import seed_drift

        state = self.require_state()
        chosen = [n for n in state.plan.names() if n in set(names)]
        texts = {n: self.paths.intended(n).read_text() for n in chosen}
        drifted, drifts = seed_drift(texts, {n: state.plan.router(n).role for n in chosen})
        for n in chosen:
            path = self.paths.configs / f"{n}.drifted.conf"
            self._write(path, drifted[n])
        self._parallel(lambda r: self.load(r.name, self.paths.configs / f"{r.name}.drifted.conf"),
                       [state.plan.router(n) for n in chosen])
        recorded = json.loads(self.paths.drift.read_text()) if self.paths.drift.exists() else {}
        recorded.update({n: [d.model_dump() for d in ds] for n, ds in drifts.items()})
        self._write(self.paths.drift, json.dumps(recorded, ensure_ascii=False, indent=2) + "\n")
        return drifts

    def _wait_daemons(self, r: LabRouter, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(self.daemons(r).values()):
                return
            time.sleep(0.2)

    def _frr_alive(self, r: LabRouter) -> bool:
        return _alive(_pidfile(self.paths.frr_run(r.netns) / "watchfrr.pid"), f"-N {r.netns}")

    def links_for(self, spec: str) -> list[LabLink]:
        """Links named by ``A:B`` (two routers) or by a circuit/link id."""
        state = self.require_state()
        plan = state.plan
        found = [link for link in plan.links if link.id == spec]
        if not found and ":" in spec:
            a, _, b = spec.partition(":")
            for n in (a, b):
                if n not in plan.names():
                    raise LabError(f"{n!r} is not a router of the lab", code="CFG-003",
                                   hint="see the routers with 'govnet lab status'")
            found = plan.links_between(a, b)
        if not found:
            raise LabError(f"no lab link matches {spec!r}", code="CFG-003",
                           hint="give two routers joined by a circuit or link as A:B, or a circuit/link id")
        return found

    def set_links(self, name: str | None, links: list[LabLink] | None, *, up: bool) -> list[str]:
        """Set links up or down at both ends (``links`` None: every link of router ``name``)."""
        state = self.require_state()
        plan = state.plan
        if links is None:
            links = [link for link in plan.links if name in (link.a_router, link.z_router)]
        done = []
        for link in links:
            for router, itf in link.ends():
                ns = plan.router(router).netns
                run(["ip", "-n", ns, "link", "set", itf, "up" if up else "down"])
                done.append(f"{router}:{itf}")
        return done

    def kill(self, name: str, daemon: str | None = None) -> list[int]:
        """Kill a router's FRR (watchfrr first, so nothing restarts it) and lldpd — or only one daemon,
        which watchfrr then restarts. Returns the PIDs killed."""
        state = self.require_state()
        r = state.plan.router(name)
        run_dir = self.paths.frr_run(r.netns)
        if daemon is not None:
            if daemon not in FRR_DAEMONS:
                raise LabError(f"unknown daemon {daemon!r}", code="CFG-003", hint=f"use one of {', '.join(FRR_DAEMONS)}")
            pid = _pidfile(run_dir / f"{daemon}.pid")
            if not _alive(pid, f"-N {r.netns}"):
                raise LabError(f"{name}: {daemon} is not running", code="LAB-004", hint="see 'govnet lab status'")
            _kill(pid, signal.SIGKILL)  # type: ignore[arg-type]
            return [pid]  # type: ignore[list-item]
        killed = []
        for d in ("watchfrr", *FRR_DAEMONS):
            pid = _pidfile(run_dir / f"{d}.pid")
            if _alive(pid, f"-N {r.netns}"):
                _kill(pid, signal.SIGKILL)  # type: ignore[arg-type]
                killed.append(pid)
        pid = state.lldpd.get(r.netns)
        if _alive_in(pid, r.netns, "lldpd"):
            _kill(pid, signal.SIGKILL)  # type: ignore[arg-type]
            killed.append(pid)
        _wait_gone(killed)  # type: ignore[arg-type]
        return killed  # type: ignore[return-value]

    # -- status ------------------------------------------------------------------------------------------
    def daemons(self, r: LabRouter) -> dict[str, bool]:
        state = self.require_state()
        run_dir = self.paths.frr_run(r.netns)
        wanted = ["watchfrr", "zebra", "staticd", "ospfd"]
        if "bgpd=yes" in _read(self.paths.frr_dir(r.netns) / "daemons"):
            wanted.append("bgpd")
        out = {d: _alive(_pidfile(run_dir / f"{d}.pid"), f"-N {r.netns}") for d in wanted}
        out["lldpd"] = _alive_in(state.lldpd.get(r.netns), r.netns, "lldpd")
        return out

    def router_status(self, r: LabRouter) -> "RouterStatus":
        state = self.require_state()
        plan = state.plan
        alive = netns_exists(r.netns)
        daemons = self.daemons(r) if alive else {}
        ospf_exp = plan.expected_ospf(r.name)
        bgp_exp = plan.expected_bgp(r.name)
        lldp_exp = plan.expected_lldp(r.name)
        ospf_ok: list[str] = []
        bgp_ok: list[str] = []
        lldp_ok: list[str] = []
        if alive and daemons.get("ospfd") and daemons.get("zebra") and ospf_exp:
            full = ospf_full_interfaces(self._json(r, "show ip ospf neighbor json"))
            ospf_ok = [f"{itf}>{peer}" for itf, peer in ospf_exp if itf in full]
        if alive and daemons.get("bgpd") and bgp_exp:
            est = bgp_established(self._json(r, "show bgp summary json"))
            bgp_ok = [f"{addr}>{peer}" for addr, peer in bgp_exp if addr in est]
        if alive and daemons.get("lldpd") and lldp_exp:
            proc = run(["lldpcli", "-u", str(self.paths.lldpd / f"{r.netns}.sock"), "-f", "json", "show",
                        "neighbors"], check=False)
            seen = lldp_neighbors(proc.stdout) if proc.returncode == 0 else set()
            lldp_ok = [f"{itf}>{peer}:{pitf}" for itf, peer, pitf in lldp_exp if (itf, peer, pitf) in seen]
        return RouterStatus(
            name=r.name, netns=r.netns, address=r.address, port=r.port, platform=r.platform,
            emulated=r.emulated, namespace=alive, daemons=daemons,
            ospf_expected=[f"{i}>{p}" for i, p in ospf_exp], ospf_full=ospf_ok,
            bgp_expected=[f"{a}>{p}" for a, p in bgp_exp], bgp_established=bgp_ok,
            lldp_expected=[f"{i}>{p}:{pi}" for i, p, pi in lldp_exp], lldp_seen=lldp_ok)

    def _json(self, r: LabRouter, command: str) -> Any:
        proc = run(["vtysh", "-N", r.netns, "-c", command], check=False, timeout=20)
        try:
            return json.loads(proc.stdout) if proc.returncode == 0 and proc.stdout.strip() else {}
        except json.JSONDecodeError:
            return {}

    def status(self) -> "LabStatus":
        state = self.require_state()
        with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
            routers = list(pool.map(self.router_status, state.plan.routers))
        return LabStatus(tag=state.plan.tag, port=state.plan.port, user=state.user, start_from=state.start_from,
                         routers=routers, sshd={g: _alive(p) for g, p in state.sshd.items()})

    def wait_converged(self, timeout: float = 90, *, lldp: bool = True) -> "LabStatus":
        """Poll the status until every router runs and every expected adjacency/session (and LLDP neighbour)
        is there, or ``timeout`` seconds have passed; returns the last status."""
        deadline = time.monotonic() + timeout
        while True:
            st = self.status()
            if st.converged(lldp=lldp) or time.monotonic() >= deadline:
                return st
            time.sleep(1)

    # -- down --------------------------------------------------------------------------------------------
    def down(self) -> list[str]:
        """Remove everything the lab created; returns sentences for what could not be removed."""
        state = self.state
        if state is None:
            return []
        problems: list[str] = []
        plan = state.plan
        # 1. processes: sshd (recorded PIDs), sessions of the lab user, lldpd, FRR, anything in our namespaces
        for g, pid in state.sshd.items():
            if _alive(pid, f"sshd-{g}.conf"):
                _kill(pid)
        user_pids = _pids_of_user(state.user) if state.user in state.created.users else []
        for pid in user_pids:
            _kill(pid, signal.SIGKILL)
        for ns, pid in state.lldpd.items():
            if _alive_in(pid, ns, "lldpd"):
                _kill(pid)

        ours = [r for r in plan.routers if r.netns in state.created.netns]
        watchers = [w for r in ours if (w := _pidfile(self.paths.frr_run(r.netns) / "watchfrr.pid")) is not None
                    and _alive(w, f"-N {r.netns}")]
        for pid in watchers:          # first, so that nothing restarts the daemons
            _kill(pid)
        _wait_gone(watchers, 3)
        ns_pids = [p for ns in state.created.netns for p in netns_pids(ns)]
        for pid in ns_pids:
            _kill(pid)
        left = _wait_gone([*ns_pids, *user_pids, *state.lldpd.values(), *state.sshd.values()])
        for pid in left:
            _kill(pid, signal.SIGKILL)
        left = _wait_gone(left, 3)
        problems += [f"process {pid} did not stop" for pid in left]
        # 2. namespaces, mounts
        for ns in state.created.netns:
            if netns_exists(ns) and run(["ip", "netns", "del", ns], check=False).returncode != 0:
                problems.append(f"namespace {ns} could not be deleted")
        mounted = _mounts()
        for m in state.created.mounts:
            if m in mounted and run(["umount", m], check=False).returncode != 0:
                problems.append(f"mount {m} could not be unmounted")
        # 3. users
        for user in state.created.users:
            if run(["getent", "passwd", user], check=False).returncode == 0:
                proc = run(["userdel", user], check=False)
                if proc.returncode != 0:
                    problems.append(f"user {user} could not be removed: {proc.stderr.strip()}")
        # 4. files and folders, newest first; the state file and shared parents last
        keep_last = {str(self.paths.lab_dir), str(RUN_ROOT)}
        for entry in reversed(state.created.paths):
            path = Path(entry)
            if entry in keep_last:
                continue
            try:
                if path.is_symlink() or path.is_file() or path.is_socket():
                    path.unlink()
                elif path.is_dir():
                    shutil.rmtree(path) if _ours_to_rmtree(path, state) else path.rmdir()
            except FileNotFoundError:
                pass
            except OSError as exc:
                problems.append(f"{entry} could not be removed ({exc.strerror})")
        if not problems:
            if self.paths.state.exists():
                self.paths.state.unlink()
            for entry in keep_last & set(state.created.paths):
                try:
                    Path(entry).rmdir()
                except OSError:
                    pass   # still holds files that are not the lab's (or another lab's run folder)
            self.state = None
        else:
            _save_state(self.paths, state)
        return problems

    def _stop_frr(self, r: LabRouter) -> None:
        run(["/usr/lib/frr/frrinit.sh", "stop", r.netns], check=False, timeout=60)
        run_dir = self.paths.frr_run(r.netns)
        for d in ("watchfrr", *FRR_DAEMONS):
            pid = _pidfile(run_dir / f"{d}.pid")
            if _alive(pid, f"-N {r.netns}"):
                _kill(pid, signal.SIGKILL)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------------------
# Status models and parsers of FRR / lldpd JSON (pure)
# ---------------------------------------------------------------------------------------------------------
class RouterStatus(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str
    netns: str
    address: str
    port: int
    platform: str
    emulated: bool
    namespace: bool
    daemons: dict[str, bool]
    ospf_expected: list[str]
    ospf_full: list[str]
    bgp_expected: list[str]
    bgp_established: list[str]
    lldp_expected: list[str]
    lldp_seen: list[str]

    @property
    def running(self) -> bool:
        return self.namespace and bool(self.daemons) and all(self.daemons.values())

    def converged(self, lldp: bool = True) -> bool:
        return (self.running and len(self.ospf_full) == len(self.ospf_expected)
                and len(self.bgp_established) == len(self.bgp_expected)
                and (not lldp or len(self.lldp_seen) == len(self.lldp_expected)))


class LabStatus(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    tag: str
    port: int
    user: str
    start_from: str
    routers: list[RouterStatus]
    sshd: dict[str, bool]

    def converged(self, lldp: bool = True) -> bool:
        return all(self.sshd.values()) and all(r.converged(lldp) for r in self.routers)


def ospf_full_interfaces(data: Any) -> set[str]:
    """Interfaces with a neighbour in state Full, from ``show ip ospf neighbor json`` (FRR 8).

    Examples:
        >>> ospf_full_interfaces({"neighbors": {"10.0.0.2": [{"nbrState": "Full/-", "ifaceName": "e0:10.0.0.1"}]}})
        {'e0'}
    """
    out = set()
    for entries in (data or {}).get("neighbors", {}).values():
        for e in entries if isinstance(entries, list) else [entries]:
            state = str(e.get("nbrState") or e.get("state") or "")
            if state.startswith("Full"):
                out.add(str(e.get("ifaceName", "")).split(":")[0])
    return out


def bgp_established(data: Any) -> set[str]:
    """Neighbour addresses in state Established, from ``show bgp summary json`` (every address family).

    Examples:
        >>> bgp_established({"ipv4Unicast": {"peers": {"10.0.0.1": {"state": "Established"},
        ...                                             "10.0.0.5": {"state": "Active"}}}})
        {'10.0.0.1'}
    """
    out = set()
    for af in (data or {}).values():
        if isinstance(af, dict):
            for addr, peer in (af.get("peers") or {}).items():
                if isinstance(peer, dict) and peer.get("state") == "Established":
                    out.add(str(ipaddress.ip_address(addr)))
    return out


def lldp_neighbors(text: str) -> set[tuple[str, str, str]]:
    """(local interface, neighbour system name, neighbour port) from ``lldpcli -f json show neighbors``.

    Examples:
        >>> lldp_neighbors('{"lldp": {"interface": {"e0": {"chassis": {"r2": {}}, "port": {"id": {"type": "ifname", "value": "e3"}}}}}}')
        {('e0', 'r2', 'e3')}
    """
    try:
        data = json.loads(text or "{}")
    except json.JSONDecodeError:
        return set()
    itfs = (data.get("lldp") or {}).get("interface") or []
    if isinstance(itfs, dict):
        itfs = [{k: v} for k, v in itfs.items()]
    out = set()
    for item in itfs:
        for local, body in item.items():
            chassis = body.get("chassis") or {}
            names = [k for k in chassis if k != "id"] if isinstance(chassis, dict) else []
            port = ((body.get("port") or {}).get("id") or {}).get("value")
            for n in names:
                out.add((local, n, str(port)))
    return out


# ---------------------------------------------------------------------------------------------------------
# small helpers
# ---------------------------------------------------------------------------------------------------------
def _negate_unreloadable(line: str) -> str:
    """The command that removes a line frr-reload.py leaves alone.

    Examples:
        >>> _negate_unreloadable("password s3cret"), _negate_unreloadable("username bob nopassword")
        ('no password', 'no username bob')
    """
    words = line.split()
    if words[0] == "username":
        return f"no username {words[1]}"
    return "no " + " ".join(words[:2] if words[0] == "enable" else words[:1])


def _check_user_name(user: str) -> None:
    import re

    if not re.match(r"^[a-z_][a-z0-9_-]{0,30}$", user or "") or user in {"root", "frr", "frrvty", "sshd"}:
        raise ConfigError(f"the lab login name {user!r} is not usable as a local account name", code="CFG-004",
                          hint="set GOVNET_USERNAME (or the variable config.yaml names) to lower-case letters, "
                               "digits, '-' or '_' — not root")


def _mounts() -> set[str]:
    try:
        text = Path("/proc/self/mountinfo").read_text()
    except OSError:
        return set()
    return {line.split()[4] for line in text.splitlines() if len(line.split()) > 4}


def _pids_of_user(user: str) -> list[int]:
    import pwd

    try:
        uid = pwd.getpwnam(user).pw_uid
    except KeyError:
        return []
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if d.stat().st_uid == uid:
                    out.append(int(d.name))
            except OSError:
                continue
    return out


def _ours_to_rmtree(path: Path, state: LabState) -> bool:
    """Folders whose whole content is the lab's own (FRR instance folders, run folder, configs, logs)."""
    ns = {r.netns for r in state.plan.routers}
    if path.parent in (Path("/etc/frr"), Path("/run/frr")) and path.name in ns:
        return True
    run_dir = Path(state.run_dir)
    return path == run_dir or run_dir in path.parents or path.name in ("configs", "logs")


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def _yaml(data: Any) -> str:
    import yaml

    return "# written by 'govnet lab up'; removed by 'govnet lab down'\n" + \
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def free_slot() -> int:
    """A 127.<slot>.0.0/16 no other lab of this machine uses (random, so parallel labs do not collide)."""
    for _ in range(50):
        slot = 100 + secrets.randbelow(150)
        try:
            choose_port(router_address(slot, 1), (22,))
            return slot
        except LabError:
            continue
    raise LabError("no free 127.x address block for the lab", code="LAB-003",
                   hint="take down labs that are no longer needed ('govnet lab down')")
