"""Device access policy, shared by every stage that talks to devices (no nornir here).

- **Credentials** come only from the environment variables named in ``config.yaml``
  (``user_defined.govnet.credentials``); a missing variable is a usage error (CFG-004) naming the variable.
- **SSH host keys** are trusted on first use: the first key a device shows is remembered in
  ``<state_dir>/known_hosts`` (OpenSSH format); later connections load that file, and paramiko refuses a
  different key *before* any password is sent. Such a host fails with DEV-002 (possible interception).
- **Failures become sentences** with stable codes: unreachable (DEV-001), changed host key (DEV-002),
  authentication refused (DEV-003).
"""

from __future__ import annotations

import fcntl
import logging
import os
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import paramiko
from napalm.base.exceptions import ConnectionException

from nornir_tasks.errors import ConfigError, DeviceError
from nornir_tasks.settings import Settings

logger = logging.getLogger(__name__)

KNOWN_HOSTS = "known_hosts"


def credentials(settings: Settings) -> tuple[str, str]:
    """The login (username, password) from the environment variables config.yaml names.

    Examples:
        >>> import os
        >>> os.environ.pop("GOVNET_TEST_NOBODY", None)
        >>> s = Settings(credentials={"username_env": "GOVNET_TEST_NOBODY"})
        >>> credentials(s)
        Traceback (most recent call last):
        ...
        nornir_tasks.errors.ConfigError: environment variable GOVNET_TEST_NOBODY (the device username) is not set
    """
    out = []
    for which, label in (("username", "the device username"), ("password", "the device password")):
        value = settings.credential(which)
        if not value:
            env = getattr(settings.credentials, f"{which}_env")
            raise ConfigError(f"environment variable {env} ({label}) is not set", code="CFG-004",
                              hint=f"export {env}=... before running govnet; secrets are never read from files")
        out.append(value)
    return out[0], out[1]


class SecretValues:
    """Values that must never be stored or logged (e.g. the login password), to hand to the sanitizer.

    Its ``repr`` hides the values: Nornir logs every task's arguments.

    Examples:
        >>> s = SecretValues(["pw-1", "", None])
        >>> s, list(s)
        (<1 secret value(s)>, ['pw-1'])
    """

    def __init__(self, values: Iterable[str | None]) -> None:
        self._values = tuple(v for v in values if v)

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __repr__(self) -> str:
        return f"<{len(self._values)} secret value(s)>"

    __str__ = __repr__


#: Loggers that write device transcripts (everything read from the channel, configs with secrets included)
#: at DEBUG level; govnet never lets them go below INFO, whatever ``--debug`` asks for.
TRANSCRIPT_LOGGERS = ("netmiko", "paramiko.transport.sftp")


def mute_transcripts() -> None:
    """Keep device transcripts out of every log: raise the transcript loggers to INFO (idempotent).

    Examples:
        >>> logging.getLogger("netmiko").setLevel(logging.DEBUG)
        >>> mute_transcripts(); logging.getLogger("netmiko").level == logging.INFO
        True
    """
    for name in TRANSCRIPT_LOGGERS:
        log = logging.getLogger(name)
        if log.level < logging.INFO:
            log.setLevel(logging.INFO)


def known_hosts_path(settings: Settings, lab: bool = False) -> Path:
    """``<state_dir>/known_hosts`` (the lab's own file under ``--lab``: see :class:`nornir_tasks.paths.Paths`)."""
    from nornir_tasks.paths import Paths

    return Paths.of(settings, lab).known_hosts


def host_key_name(address: str, port: int | None) -> str:
    """The name OpenSSH and paramiko file a host key under.

    Examples:
        >>> host_key_name("127.1.0.1", 22), host_key_name("127.1.0.1", 2201)
        ('127.1.0.1', '[127.1.0.1]:2201')
    """
    return address if port in (None, 22) else f"[{address}]:{port}"


def ssh_options(known_hosts: Path, timeout: float) -> dict[str, Any]:
    """netmiko ``ConnectHandler`` arguments that enforce the host-key policy (also valid NAPALM optional_args).

    Unknown keys are accepted (and then remembered by :class:`KnownHosts`); known keys are checked by
    paramiko against the file; the user's own keys and agent are never offered.

    Examples:
        >>> sorted(ssh_options(Path("/tmp/kh"), 5.0))
        ['allow_agent', 'alt_host_keys', 'alt_key_file', 'conn_timeout', 'ssh_strict', 'system_host_keys', 'use_keys']
    """
    return {"alt_host_keys": True, "alt_key_file": str(known_hosts), "system_host_keys": False,
            "ssh_strict": False, "use_keys": False, "allow_agent": False, "conn_timeout": timeout}


#: Keys of :func:`ssh_options` that a host's own connection options may set (the others are policy).
TUNABLE = frozenset({"conn_timeout"})


class KnownHosts:
    """The project's known-hosts file: read by paramiko at connect time, appended to on first use.

    Safe across threads (one lock per object) and processes (``flock`` on a side file).

    Examples:
        >>> import tempfile
        >>> kh = KnownHosts(Path(tempfile.mkdtemp()) / "known_hosts")
        >>> key = paramiko.RSAKey.generate(1024)
        >>> kh.remember("127.1.0.1", 2201, key), kh.remember("127.1.0.1", 2201, key)
        (True, False)
        >>> kh.lookup("127.1.0.1", 2201) == [key], kh.lookup("127.1.0.1", 22)
        (True, [])
        >>> kh.remember("127.1.0.1", 2201, paramiko.RSAKey.generate(1024))
        Traceback (most recent call last):
        ...
        nornir_tasks.errors.DeviceError: [127.1.0.1]:2201: the SSH host key is different ...
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    @contextmanager
    def snapshot(self) -> Iterator[Path]:
        """A private copy of the file for one connection to load (deleted afterwards).

        paramiko's ``AutoAddPolicy`` (netmiko's policy when ``ssh_strict`` is off) *rewrites* the file it loaded
        to add a new key; with many connections in parallel those rewrites lose each other's lines. Each
        connection therefore loads a copy, and :meth:`remember` appends to the real file under a lock.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        try:
            with os.fdopen(fd, "wb") as fh, self._exclusive():
                if self.path.exists():
                    fh.write(self.path.read_bytes())
            yield Path(tmp)
        finally:
            os.unlink(tmp)

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        with self._lock, open(self.path.with_name(self.path.name + ".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    def lookup(self, address: str, port: int | None) -> list[paramiko.PKey]:
        if not self.path.exists():
            return []
        keys = paramiko.HostKeys(str(self.path)).lookup(host_key_name(address, port))
        return list(keys.values()) if keys else []

    def remember(self, address: str, port: int | None, key: paramiko.PKey) -> bool:
        """Add the key the first time a host is seen; return True when the file changed.

        A host already on file with a *different* key is not overwritten (paramiko refuses such a host before
        this is reached; this is a second line of defence).
        """
        name = host_key_name(address, port)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._exclusive():
            keys = paramiko.HostKeys(str(self.path)) if self.path.exists() else paramiko.HostKeys()
            known = keys.lookup(name)
            if known is not None and key.get_name() in known:
                if known[key.get_name()] != key:
                    raise DeviceError(_changed_sentence(name, self.path), code="DEV-002",
                                      hint=_changed_hint(name, self.path))
                return False
            with open(self.path, "a", encoding="ascii") as fh:
                fh.write(f"{name} {key.get_name()} {key.get_base64()}\n")
            os.chmod(self.path, 0o600)
            logger.info("%s: host key %s remembered on first use", name, key.get_fingerprint().hex())
            return True

    def remember_from(self, transport: paramiko.Transport | None, address: str, port: int | None) -> bool:
        """Remember the key a live connection's transport was shown."""
        if transport is None:
            return False
        return self.remember(address, port, transport.get_remote_server_key())


def _changed_sentence(name: str, path: Path) -> str:
    return (f"{name}: the SSH host key is different from the one remembered in {path} — possible interception "
            "(man-in-the-middle); not connecting and no password sent")


def _changed_hint(name: str, path: Path) -> str:
    return (f"if the device was really replaced or re-keyed, check its new key out of band, then remove the "
            f"line for {name} from {path}")


def _chain(exc: BaseException) -> list[BaseException]:
    out: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and cur not in out and len(out) < 20:
        out.append(cur)
        cur = cur.__cause__ or cur.__context__
    return out


#: Exceptions that mean "could not talk to the device" (anything else is a bug and is not relabelled).
TRANSPORT_ERRORS: tuple[type[BaseException], ...] = (OSError, EOFError, paramiko.SSHException, ConnectionException)


def classify(exc: BaseException, host: str, address: str, port: int | None,
             known_hosts: Path) -> DeviceError | None:
    """Turn a connection failure (netmiko, NAPALM, paramiko, socket) into a DeviceError sentence; None when the
    exception is not a transport failure at all (a bug should surface as itself, not as "unreachable").

    Examples:
        >>> classify(ConnectionRefusedError(111, "Connection refused"), "r1", "127.1.0.1", 22, Path("kh")).code
        'DEV-001'
        >>> classify(paramiko.AuthenticationException("Authentication failed."), "r1", "127.1.0.1", 22,
        ...          Path("kh")).code
        'DEV-003'
        >>> classify(KeyError("x"), "r1", "127.1.0.1", 22, Path("kh")) is None
        True
    """
    if isinstance(exc, DeviceError):
        return exc
    chain = _chain(exc)
    if not any(isinstance(e, TRANSPORT_ERRORS) for e in chain):
        return None
    name = host_key_name(address, port)
    text = " ".join(str(e) for e in chain)
    if any(isinstance(e, paramiko.BadHostKeyException) for e in chain) or "does not match" in text:
        return DeviceError(f"{host}: " + _changed_sentence(name, known_hosts), code="DEV-002",
                           hint=_changed_hint(name, known_hosts))
    if any(isinstance(e, paramiko.AuthenticationException) for e in chain) or "Authentication to device failed" in text:
        return DeviceError(f"{host} ({name}): authentication failed", code="DEV-003",
                           hint="check the username/password environment variables and the device's accounts")
    first = next((line.strip() for line in str(chain[0]).splitlines() if line.strip()), type(chain[0]).__name__)
    return DeviceError(f"{host} ({name}): unreachable — {first}", code="DEV-001",
                       hint="check that the device is up and SSH is reachable from here")
