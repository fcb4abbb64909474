"""NAPALM driver for FRRouting, over SSH into vtysh (netmiko ``cisco_ios`` transport).

``napalm.get_network_driver("frr")`` finds :class:`FRRDriver` because NAPALM imports ``napalm_<name>``.

optional_args:
    port: SSH port of the vtysh login (default 22).
    shell_host / shell_port / shell_username / shell_password: a second login that gives a shell inside the
        router's namespace (needed for ``lldpcli``; vtysh has no LLDP). Commands are sent as an SSH exec
        request (and on stdin). Each defaults to the vtysh login's value: a login whose ForceCommand runs
        vtysh without a command and a shell with one (as the govnet lab's does) needs no extra options.
    lldp_socket: lldpd's control socket when it is not the default (``lldpcli -u <socket>``).
    config_timeout: seconds a configuration push may take (default 60).
    revert_dir: folder (on the device, relative to the shell login's home) holding the revert timers of
        ``commit_config(revert_in=)`` (default ``.napalm_frr``).
    Any netmiko ``ConnectHandler`` argument (``alt_host_keys``, ``alt_key_file``, ``ssh_strict``,
    ``conn_timeout``, ...) is passed through; the shell login honours ``alt_key_file`` and ``ssh_strict`` too.

Configuration workflow: a candidate is loaded as text (merge or replace), :meth:`compare_config` shows the
difference from the running config as computed by hier_config, :meth:`commit_config` sends the remediation
commands through ``configure terminal`` (any line FRR refuses aborts the commit and restores the previous
config) and saves with ``write memory``. ``commit_config(revert_in=N)`` emulates commit-confirm: unless
:meth:`confirm_commit` is called within N seconds, the pre-commit config is restored.

FRR has no commit-confirm of its own, so the timer lives **on the device**, where it survives the client:
before the change is sent, the shell login writes the commands that take the router back (a remediation from
the expected result to the pre-commit config) to ``<revert_dir>/<token>.apply`` and starts a detached
``sleep N`` in a session of its own; when it wakes and ``<token>.pending`` still exists, it runs them through
vtysh and saves. :meth:`confirm_commit` removes the pending file and stops the timer. A client that dies
(killed, network lost, the change cut its own management path) cannot confirm, so the router goes back by
itself. Any process can find a router's pending commits (:meth:`pending_commits`) and confirm one
(``confirm_commit(token=)``) or take it back at once (``revert_pending(token)``). Closing the driver with a
commit still pending restores the pre-commit config at once, the safe choice when the client can no longer
confirm.
"""

from __future__ import annotations

import base64
import fcntl
import json
import logging
import re
import secrets
import shlex
import threading
from pathlib import Path
from typing import Any

import paramiko
from hier_config.exceptions import DuplicateChildError
from napalm.base import NetworkDriver, models
from napalm.base.exceptions import (
    CommandErrorException,
    CommitConfirmException,
    CommitError,
    ConnectionClosedException,
    MergeConfigException,
    ReplaceConfigException,
)
from napalm.base.netmiko_helpers import netmiko_args
from netmiko import ConnectHandler
from netmiko.exceptions import ConfigInvalidException, ReadTimeout

from napalm_frr import config as frrconf

logger = logging.getLogger(__name__)

#: What vtysh prints when it refuses a configuration line.
_ERROR_PATTERN = r"^%|Unknown command|Command incomplete|Ambiguous command"
#: Secret arguments of FRR commands, masked in every error message (a refused line is quoted back to the caller).
_SECRET_ARGS = re.compile(r"\b((?:enable )?password(?: \d)?|md5|authentication-key|key-string|community|"
                          r"(?:area|domain)-password(?: clear| md5)?)\s+\S+")


def mask_secrets(text: str) -> str:
    """Text with the secret argument of FRR commands replaced by ``<secret>``.

    Examples:
        >>> mask_secrets("Invalid input detected at command: no password Xy-1, matched error: %")
        'Invalid input detected at command: no password <secret> matched error: %'
        >>> mask_secrets("ip ospf message-digest-key 7 md5 k3y")
        'ip ospf message-digest-key 7 md5 <secret>'
    """
    return _SECRET_ARGS.sub(lambda m: f"{m.group(1)} <secret>", text)
_VERSION = re.compile(r"^FRRouting\s+(?P<version>\S+)\s+\((?P<host>[^)]*)\)(?:\s+on\s+(?P<os>\S+))?", re.MULTILINE)
_SECRET_LINE = re.compile(r"^(\s*(?:password|enable password)\s+)(?:\d\s+)?\S+.*$", re.MULTILINE)


def _parse_version(text: str) -> dict[str, str]:
    """Fields of ``show version``'s first line.

    Examples:
        >>> _parse_version("FRRouting 8.4.4 (r1) on Linux(6.1.0).\\nCopyright ...")
        {'version': '8.4.4', 'host': 'r1', 'os': 'Linux(6.1.0).'}
    """
    m = _VERSION.search(text)
    return {k: v or "" for k, v in m.groupdict().items()} if m else {}


def _strip_banner(text: str) -> str:
    """``show running-config`` without vtysh's ``Building configuration...`` preamble, ending in a newline.

    Examples:
        >>> _strip_banner("Building configuration...\\n\\nCurrent configuration:\\n!\\nhostname r1\\nend")
        '!\\nhostname r1\\nend\\n'
    """
    lines = text.replace("\r", "").split("\n")
    for i, line in enumerate(lines[:5]):
        if line.startswith("Current configuration"):
            lines = lines[i + 1:]
            break
    body = "\n".join(lines).rstrip("\n")
    return body + "\n" if body else ""


def _lldp_neighbors(doc: dict[str, Any]) -> dict[str, list[models.LLDPNeighborDict]]:
    """NAPALM's LLDP neighbour shape from ``lldpcli -f json show neighbors`` (one interface is a dict,
    several are a list of one-key dicts; the chassis is keyed by the system name).

    Examples:
        >>> doc = {"lldp": {"interface": {"eth0": {"chassis": {"r2": {"id": {}}},
        ...                                         "port": {"id": {"type": "ifname", "value": "eth1"}}}}}}
        >>> _lldp_neighbors(doc)
        {'eth0': [{'hostname': 'r2', 'port': 'eth1'}]}
    """
    raw = (doc.get("lldp") or {}).get("interface") or []
    items: list[tuple[str, dict[str, Any]]] = []
    if isinstance(raw, dict):
        items = list(raw.items())
    else:
        for entry in raw:
            items.extend(entry.items())
    out: dict[str, list[models.LLDPNeighborDict]] = {}
    for local, data in items:
        chassis = data.get("chassis") or {}
        if "name" in chassis or "id" in chassis:   # unnamed chassis: {"id": {...}}
            name = (chassis.get("name") or {}).get("value", "") if isinstance(chassis.get("name"), dict) else ""
            if not name:
                name = (chassis.get("id") or {}).get("value", "")
        else:
            name = next(iter(chassis), "")
        port = data.get("port") or {}
        port_id = (port.get("id") or {}).get("value") or port.get("descr") or ""
        out.setdefault(local, []).append({"hostname": str(name), "port": str(port_id)})
    return out


def _remember_key(path: Path, client: paramiko.SSHClient, host: str, port: int) -> None:
    """Append the shell login's host key to the known-hosts file the first time it is seen (trust on first
    use; a *changed* key never gets here: paramiko refuses it at connect time). Locks ``<file>.lock``."""
    transport = client.get_transport()
    if transport is None:
        return
    key = transport.get_remote_server_key()
    name = host if port == 22 else f"[{host}]:{port}"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        keys = paramiko.HostKeys(str(path)) if path.exists() else paramiko.HostKeys()
        if keys.lookup(name) and key.get_name() in keys.lookup(name):  # type: ignore[operator]
            return
        with open(path, "a", encoding="ascii") as fh:
            fh.write(f"{name} {key.get_name()} {key.get_base64()}\n")


class FRRDriver(NetworkDriver):
    """NAPALM driver for FRRouting (vtysh over SSH)."""

    platform = "frr"

    def __init__(self, hostname: str, username: str, password: str, timeout: int = 60,
                 optional_args: dict[str, Any] | None = None) -> None:
        self.hostname = hostname
        self.username = username
        self.password = password
        self.timeout = timeout
        self.force_no_enable = True
        self.use_canonical_interface = False
        args = dict(optional_args or {})
        self.port = int(args.get("port", 22))
        self.shell_host = str(args.get("shell_host") or hostname)
        self.shell_port = int(args.get("shell_port") or self.port)
        self.shell_username = str(args.get("shell_username") or username)
        self.shell_password = str(args.get("shell_password") or password)
        self.config_timeout = float(args.get("config_timeout", 60))
        self.lldp_socket = str(args["lldp_socket"]) if args.get("lldp_socket") else None
        self.revert_dir = str(args.get("revert_dir") or ".napalm_frr")
        self.netmiko_optional_args = netmiko_args(args)
        self.netmiko_optional_args["port"] = self.port
        self.netmiko_optional_args.setdefault("use_keys", False)
        self.netmiko_optional_args.setdefault("allow_agent", False)
        self.device: Any = None
        self._lock = threading.RLock()
        self._candidate: str | None = None
        self._replace = False
        self._rollback_config: str | None = None
        self._pending: str | None = None            # token of the device-side revert timer of our commit
        self._shell_conn: paramiko.SSHClient | None = None
        self._shell_lock = threading.Lock()

    # -- connection -------------------------------------------------------------------------------------------
    def open(self) -> None:
        self.device = ConnectHandler(device_type="cisco_ios", host=self.hostname, username=self.username,
                                     password=self.password, timeout=self.timeout,
                                     **self.netmiko_optional_args)

    def close(self) -> None:
        with self._lock:
            if self._pending is not None and self.device is not None:
                logger.warning("%s: closing with an unconfirmed commit; restoring the previous config",
                               self.hostname)
                try:
                    self._revert()
                except (CommitError, OSError, EOFError, paramiko.SSHException) as exc:
                    logger.error("%s: restoring on close failed (the device's timer will do it): %s",
                                 self.hostname, exc)
            if self.device is not None:
                self.device.disconnect()
                self.device = None
            with self._shell_lock:
                if self._shell_conn is not None:
                    self._shell_conn.close()
                    self._shell_conn = None

    def is_alive(self) -> models.AliveDict:
        if self.device is None:
            return {"is_alive": False}
        try:
            return {"is_alive": bool(self.device.is_alive())}
        except (OSError, EOFError, paramiko.SSHException):
            return {"is_alive": False}

    def _send(self, command: str) -> str:
        if self.device is None:
            raise ConnectionClosedException(f"{self.hostname}: not connected (call open() first)")
        with self._lock:
            return str(self.device.send_command(command, read_timeout=self.timeout))

    def _json(self, command: str) -> Any:
        text = self._send(command)
        try:
            return json.loads(text) if text.strip() else {}
        except json.JSONDecodeError as exc:
            raise CommandErrorException(f"{self.hostname}: '{command}' did not return JSON: {text[:200]!r}") from exc

    def cli(self, commands: list[str], encoding: str = "text") -> dict[str, str]:
        return {c: self._send(c) for c in commands}

    def _shell_client(self) -> paramiko.SSHClient:
        """The shell login's SSH connection, opened on first use and kept for the driver's life (each command is
        a new channel on it: no new handshake per command)."""
        with self._shell_lock:
            client = self._shell_conn
            transport = client.get_transport() if client is not None else None
            if client is not None and transport is not None and transport.is_active():
                return client
            if client is not None:
                client.close()
            client = paramiko.SSHClient()
            key_file = self.netmiko_optional_args.get("alt_key_file")
            if key_file and Path(key_file).is_file():
                # load without remembering the file name: paramiko's AutoAddPolicy would rewrite the whole file
                # (racing with parallel connections); _remember_key appends under a lock instead
                client.get_host_keys().load(key_file)
            if self.netmiko_optional_args.get("ssh_strict"):
                client.set_missing_host_key_policy(paramiko.RejectPolicy())
            else:
                client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
            try:
                client.connect(self.shell_host, port=self.shell_port, username=self.shell_username,
                               password=self.shell_password, timeout=self.timeout, look_for_keys=False,
                               allow_agent=False)
                if key_file:
                    _remember_key(Path(key_file), client, self.shell_host, self.shell_port)
            except BaseException:
                client.close()
                raise
            self._shell_conn = client
            return client

    def _shell(self, command: str) -> str:
        """Run a command through the shell login (an exec channel; the command also goes to stdin, so a login
        whose ForceCommand starts an interactive shell runs it too). A connection that went away is opened
        again once."""
        for attempt in (1, 2):
            client = self._shell_client()
            try:
                stdin, stdout, _ = client.exec_command(command, timeout=self.timeout)
                stdin.write(command + "\nexit\n")
                stdin.channel.shutdown_write()
                return stdout.read().decode("utf-8", "replace")
            except (paramiko.SSHException, EOFError, OSError):
                with self._shell_lock:
                    if self._shell_conn is client:
                        client.close()
                        self._shell_conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    # -- getters ----------------------------------------------------------------------------------------------
    def get_facts(self) -> models.FactsDict:
        version = _parse_version(self._send("show version"))
        running = self._running()
        hostname = version.get("host", "")
        domain = ""
        for line in running.splitlines():
            if line.startswith("hostname "):
                hostname = line.split(None, 1)[1].strip()
            elif line.startswith("domainname "):
                domain = line.split(None, 1)[1].strip()
        interfaces = self._json("show interface json")
        return {
            "hostname": hostname,
            "fqdn": f"{hostname}.{domain}" if domain else hostname,
            "vendor": "FRRouting",
            "model": f"FRR on {version.get('os', '').split('(')[0] or 'Linux'}",
            "os_version": version.get("version", ""),
            "serial_number": "",
            "uptime": -1.0,            # FRR does not report the router's uptime
            "interface_list": sorted(interfaces),
        }

    def get_interfaces(self) -> dict[str, models.InterfaceDict]:
        out: dict[str, models.InterfaceDict] = {}
        for name, data in self._json("show interface json").items():
            out[name] = {
                "is_up": data.get("operationalStatus") == "up",
                "is_enabled": data.get("administrativeStatus") == "up",
                "description": str(data.get("description", "")),
                "last_flapped": -1.0,
                "mtu": int(data.get("mtu", 0)),
                "speed": float(data.get("speed", 0) or 0),
                "mac_address": str(data.get("hardwareAddress", "")),
            }
        return out

    def get_interfaces_ip(self) -> dict[str, models.InterfacesIPDict]:
        out: dict[str, Any] = {}
        for name, data in self._json("show interface json").items():
            for entry in data.get("ipAddresses", []):
                address, _, length = str(entry.get("address", "")).partition("/")
                if not address or not length:
                    continue
                family = "ipv6" if ":" in address else "ipv4"
                out.setdefault(name, {}).setdefault(family, {})[address] = {"prefix_length": int(length)}
        return out

    def get_lldp_neighbors(self) -> dict[str, list[models.LLDPNeighborDict]]:
        sock = f"-u {shlex.quote(self.lldp_socket)} " if self.lldp_socket else ""
        text = self._shell(f"PATH=$PATH:/usr/sbin:/sbin lldpcli {sock}-f json show neighbors")
        start = text.find("{")
        try:
            doc = json.loads(text[start:]) if start >= 0 else {}
        except json.JSONDecodeError as exc:
            raise CommandErrorException(f"{self.hostname}: lldpcli did not return JSON: {text[:200]!r}") from exc
        return _lldp_neighbors(doc)

    def _running(self) -> str:
        return _strip_banner(self._send("show running-config"))

    def get_config(self, retrieve: str = "all", full: bool = False, sanitized: bool = False,
                   format: str = "text") -> models.ConfigurationDict:
        out: models.ConfigurationDict = {"running": "", "candidate": "", "startup": ""}
        if retrieve in ("all", "running"):
            out["running"] = self._running()
        if retrieve in ("all", "startup"):
            out["startup"] = self._send("show startup-config")
        if retrieve in ("all", "candidate"):
            out["candidate"] = self._candidate or ""
        if sanitized:
            for key in out:
                out[key] = _SECRET_LINE.sub(r"\1<removed>", out[key])  # type: ignore[literal-required]
        return out

    # -- configuration ----------------------------------------------------------------------------------------
    @staticmethod
    def _read(filename: str | None, config: str | None) -> str:
        if filename:
            return Path(filename).read_text(encoding="utf-8")
        if config is None:
            raise ValueError("give filename or config")
        return config

    def load_replace_candidate(self, filename: str | None = None, config: str | None = None) -> None:
        try:
            text = self._read(filename, config)
            frrconf.tree(text)
        except (OSError, ValueError, DuplicateChildError) as exc:
            raise ReplaceConfigException(f"{self.hostname}: cannot load the candidate: {exc}") from exc
        if not frrconf.normalize(text).strip():
            raise ReplaceConfigException(f"{self.hostname}: the replace candidate is empty; refusing to wipe the "
                                         "running config")
        self._candidate, self._replace = text, True

    def load_merge_candidate(self, filename: str | None = None, config: str | None = None) -> None:
        try:
            text = self._read(filename, config)
            frrconf.tree(text)
        except (OSError, ValueError, DuplicateChildError) as exc:
            raise MergeConfigException(f"{self.hostname}: cannot load the candidate: {exc}") from exc
        self._candidate, self._replace = text, False

    def _target(self, running: str) -> Any:
        assert self._candidate is not None
        if self._replace:
            return frrconf.tree(self._candidate)
        return frrconf.merged(running, self._candidate)

    def compare_config(self) -> str:
        if self._candidate is None:
            return ""
        running = self._running()
        return frrconf.diff(running, self._target(running))

    def discard_config(self) -> None:
        self._candidate, self._replace = None, False

    def _apply(self, lines: list[str]) -> str:
        """Send lines in configure mode; refuse the whole change when FRR rejects any line."""
        if not lines:
            return ""
        with self._lock:
            out = str(self.device.send_config_set(lines, error_pattern=_ERROR_PATTERN,
                                                  read_timeout=self.config_timeout))
            return out

    def _push(self, running: str, target: Any) -> None:
        lines = frrconf.commands(frrconf.tree(running).config_to_get_to(target).set_order_weight())
        try:
            self._apply(lines)
        except (ConfigInvalidException, ReadTimeout, OSError) as exc:
            self._leave_config_mode()
            raise CommitError(f"{self.hostname}: FRR refused the change: {mask_secrets(str(exc))}") from None
        self._save()

    def _leave_config_mode(self) -> None:
        try:
            with self._lock:
                self.device.exit_config_mode()
        except (OSError, ValueError, EOFError) as exc:
            logger.warning("%s: could not leave configure mode: %s", self.hostname, exc)

    def _save(self) -> None:
        with self._lock:
            out = str(self.device.send_command("write memory", read_timeout=self.config_timeout))
        if "[OK]" not in out and "Configuration saved" not in out:
            logger.warning("%s: write memory said %r", self.hostname, out[-200:])

    def commit_config(self, message: str = "", revert_in: int | None = None) -> None:
        if self._candidate is None:
            raise CommitError(f"{self.hostname}: nothing to commit (load a candidate first)")
        if self._pending is not None:
            raise CommitError(f"{self.hostname}: a commit is waiting for confirmation; confirm or roll back first")
        with self._lock:
            running = self._running()
            target = self._target(running)
            token = None
            if revert_in is not None:       # armed before anything is sent
                token = self._arm(frrconf.commands(target.config_to_get_to(frrconf.tree(running))), int(revert_in))
            try:
                self._push(running, target)
            except CommitError:
                try:   # restore whatever part of the change did get in
                    self._push(self._running(), frrconf.tree(running))
                except CommitError as again:
                    logger.error("%s: restoring after a refused change failed: %s", self.hostname, again)
                if token is not None:
                    self._disarm(token)
                raise
            self._rollback_config = running
            self._candidate, self._replace = None, False
            if token is not None:
                self._pending = token
                after = self._running()
                if frrconf.diff(after, target):
                    # FRR wrote the change differently than predicted: the timer takes back what is there
                    self._write_apply(token, frrconf.commands(frrconf.remediation(after, running)))

    # -- the device-side revert timer ---------------------------------------------------------------------
    def _dir(self) -> str:
        """The timer folder as a shell word (relative paths are under the login's home)."""
        if self.revert_dir.startswith("/"):
            return shlex.quote(self.revert_dir)
        return '"$HOME"/' + shlex.quote(self.revert_dir)

    @staticmethod
    def _apply_script(commands: list[str]) -> str:
        """The shell script that takes the router back: the commands in configure mode, then save.

        Examples:
            >>> print(FRRDriver._apply_script(["no ip route 10.9.0.0/16 Null0"]), end="")
            #!/bin/sh
            exec vtysh -c 'configure terminal' -c 'no ip route 10.9.0.0/16 Null0' -c end -c 'write memory'
        """
        lines = ["configure terminal", *commands, "end", "write memory"]
        return "#!/bin/sh\nexec vtysh " + " ".join(f"-c {shlex.quote(c)}" for c in lines) + "\n"

    def _write_apply(self, token: str, commands: list[str]) -> None:
        blob = base64.b64encode(self._apply_script(commands).encode("utf-8")).decode("ascii")
        out = self._shell(f'D={self._dir()}; umask 077; printf %s {blob} | base64 -d > "$D/{token}.apply.new" '
                          f'&& mv "$D/{token}.apply.new" "$D/{token}.apply" && echo NAPALM_FRR_OK')
        if "NAPALM_FRR_OK" not in out:
            raise CommitError(f"{self.hostname}: could not update the revert timer on the device: {out[-200:]!r}")

    def _arm(self, commands: list[str], seconds: int) -> str:
        """Start the device-side timer and return its token; nothing is pushed when this fails."""
        token = secrets.token_hex(6)
        blob = base64.b64encode(self._apply_script(commands).encode("utf-8")).decode("ascii")
        timer = (f'sleep {max(1, seconds)}; D={self._dir()}; [ -e "$D/{token}.pending" ] || exit 0; '
                 f'sh "$D/{token}.apply" > "$D/{token}.log" 2>&1; '
                 f'mv "$D/{token}.pending" "$D/{token}.reverted"; rm -f "$D/{token}.apply"')
        script = (f'D={self._dir()}; umask 077; mkdir -p "$D" && '
                  f'printf %s {blob} | base64 -d > "$D/{token}.apply" && hostname > "$D/{token}.pending" && '
                  f'{{ setsid sh -c {shlex.quote(timer)} < /dev/null > /dev/null 2>&1 & '
                  f'echo $! >> "$D/{token}.pending"; echo NAPALM_FRR_TIMER $!; }}')
        try:
            out = self._shell(script)
        except (OSError, EOFError, paramiko.SSHException) as exc:
            raise CommitError(f"{self.hostname}: could not start the revert timer on the device (nothing was "
                              f"changed): {exc}") from exc
        m = re.search(r"NAPALM_FRR_TIMER (\d+)", out)
        if m is None:
            raise CommitError(f"{self.hostname}: could not start the revert timer on the device (nothing was "
                              f"changed): {out[-200:]!r}")
        logger.info("%s: revert timer %s armed for %d s", self.hostname, token, seconds)
        return token

    def _disarm(self, token: str) -> bool:
        """Stop a timer; True when it was still pending (then the change stays unless rolled back)."""
        out = self._shell(
            f'D={self._dir()}; f="$D/{token}.pending"; if [ -e "$f" ]; then pid=$(sed -n 2p "$f"); '
            f'rm -f "$f" "$D/{token}.apply"; [ -n "$pid" ] && kill -- -"$pid" 2>/dev/null; '
            f'echo NAPALM_FRR_DISARMED; else echo NAPALM_FRR_GONE; fi')
        return "NAPALM_FRR_DISARMED" in out

    def pending_commits(self) -> list[str]:
        """Tokens of this router's commits still waiting for confirmation (made by any client)."""
        out = self._shell(f'D={self._dir()}; h=$(hostname); for f in "$D"/*.pending; do [ -e "$f" ] || continue; '
                          f'[ "$(sed -n 1p "$f")" = "$h" ] && echo "NAPALM_FRR_PENDING $(basename "$f" .pending)"; '
                          f'done; true')
        return re.findall(r"NAPALM_FRR_PENDING ([0-9a-f]+)", out)

    def revert_pending(self, token: str) -> bool:
        """Take back a pending commit now (from any client): run its revert commands and stop its timer.
        Returns False when it was no longer pending."""
        out = self._shell(
            f'D={self._dir()}; f="$D/{token}.pending"; if [ -e "$f" ]; then pid=$(sed -n 2p "$f"); '
            f'[ -n "$pid" ] && kill -- -"$pid" 2>/dev/null; sh "$D/{token}.apply" > "$D/{token}.log" 2>&1; '
            f'mv "$f" "$D/{token}.reverted"; rm -f "$D/{token}.apply"; echo NAPALM_FRR_REVERTED; '
            f'else echo NAPALM_FRR_GONE; fi')
        return "NAPALM_FRR_REVERTED" in out

    def _revert(self) -> None:
        """Restore the pre-commit config now (this client still can) and stop the device's timer."""
        token = self._pending
        try:
            if token is not None:
                self._disarm(token)
            if self._rollback_config is None:
                return
            self._push(self._running(), frrconf.tree(self._rollback_config))
        finally:
            self._pending = None
        logger.info("%s: previous config restored", self.hostname)

    def has_pending_commit(self) -> bool:
        """True while our commit waits for confirmation (False once the device's timer has reverted it)."""
        with self._lock:
            if self._pending is None:
                return False
            out = self._shell(f'D={self._dir()}; [ -e "$D/{self._pending}.pending" ] && echo NAPALM_FRR_YES; true')
            if "NAPALM_FRR_YES" in out:
                return True
            self._pending = None
            return False

    def confirm_commit(self, token: str | None = None) -> None:
        """Keep the change: stop the device's timer (ours, or the one named by ``token``)."""
        with self._lock:
            token = token or self._pending
            if token is None:
                raise CommitConfirmException(f"{self.hostname}: no commit is waiting for confirmation")
            still = self._disarm(token)
            if token == self._pending:
                self._pending = None
            if not still:
                raise CommitConfirmException(f"{self.hostname}: too late to confirm: the device has already "
                                             "restored the previous config")

    def rollback(self) -> None:
        with self._lock:
            if self._rollback_config is None:
                raise CommitError(f"{self.hostname}: nothing to roll back (no commit in this session)")
            self._revert()
            self._rollback_config = None
