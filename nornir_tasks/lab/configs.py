"""The configs lab routers start from (pure functions over config text; no nornir, no commands).

* ``intended`` — the FRR rendering of the device (``Renderer.render(inv, name, platform="frr", lab=True)``),
  the same text every stage compares against under ``--lab``.
* ``baseline`` — a freshly provisioned router: the hostname and interface addressing of the intended config,
  nothing else (no routing, no logging, no descriptions).
* ``drifted`` — the intended config with one realistic change per router, chosen deterministically in turn
  from :data:`DRIFT_KINDS` among those the router's config allows, and recorded as :class:`Drift` data
  (``<lab_dir>/drift.json``) so that compliance tests can assert that exactly those are found.

FRR has no NTP, telnet or remote-syslog settings in ``frr.conf`` (the host OS owns them), so the drifts are
the ones FRR can hold: a changed OSPF cost, a missing ``log syslog`` line (the logging-host equivalent), an
extra static route, a stale interface description, IP forwarding switched off, a missing vty access-class.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Literal

from pydantic import BaseModel, ConfigDict

#: Drift kinds in the order they are handed out.
DRIFT_KINDS: tuple[str, ...] = ("ospf_cost", "logging", "static_route", "description", "forwarding", "vty_acl")
#: The prefix of the extra static route (TEST-NET-1, RFC 5737: never a real destination).
DRIFT_ROUTE = "ip route 192.0.2.0/24 Null0"
DRIFT_DESCRIPTION = "TAM THOI - chua cap nhat"
DRIFT_COST = 100


class Drift(BaseModel):
    """One seeded difference between a router's intended and running config, as ``show running-config``
    prints it: ``intended`` is the line the intended config has (None: it has none), ``running`` the line the
    router has instead (None: the line is missing); ``section`` is the enclosing section (None: top level)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["ospf_cost", "logging", "static_route", "description", "forwarding", "vty_acl"]
    section: str | None
    intended: str | None
    running: str | None
    reason: str


@dataclass
class _Block:
    header: str
    children: list[str] = field(default_factory=list)
    closed: bool = False           # printed with an unindented "exit"

    def lines(self) -> list[str]:
        out = [self.header, *self.children]
        if self.closed:
            out.append("exit")
        return out


def parse_blocks(config: str) -> list[_Block]:
    """Split an FRR config into top-level blocks (a line plus its indented children, closed by ``exit``).

    Examples:
        >>> [(b.header, b.children) for b in parse_blocks("hostname r1\\ninterface e0\\n ip address 10.0.0.1/31\\nexit\\n")]
        [('hostname r1', []), ('interface e0', [' ip address 10.0.0.1/31'])]
    """
    blocks: list[_Block] = []
    for raw in config.splitlines():
        line = raw.rstrip()
        if not line.strip():
            continue
        if line.startswith((" ", "\t")):
            if blocks and not blocks[-1].closed:
                blocks[-1].children.append(line)
            continue
        if line == "exit" and blocks:
            blocks[-1].closed = True
            continue
        if line in ("!", "end") or line.startswith("frr version"):
            continue
        blocks.append(_Block(line))
    for b in blocks:
        if b.children:
            b.closed = True
    return blocks


def join_blocks(blocks: Iterable[_Block]) -> str:
    """Config text from blocks (one command a line, sections closed by ``exit``)."""
    return "".join(line + "\n" for b in blocks for line in b.lines())


def baseline_config(intended: str) -> str:
    """A freshly provisioned router: hostname, ``frr defaults`` and interface addresses only.

    Examples:
        >>> print(baseline_config("hostname r1\\nlog syslog informational\\ninterface e0\\n description x\\n"
        ...                       " ip address 10.0.0.1/31\\n ip ospf area 0\\nexit\\nrouter ospf\\nexit\\n"), end="")
        hostname r1
        interface e0
         ip address 10.0.0.1/31
        exit
    """
    out: list[_Block] = []
    for b in parse_blocks(intended):
        if b.header.startswith(("hostname ", "frr defaults")):
            out.append(_Block(b.header))
        elif b.header.startswith("interface "):
            keep = [c for c in b.children if c.strip().startswith(("ip address ", "ipv6 address "))]
            if keep:
                out.append(_Block(b.header, keep, True))
    return join_blocks(out)


def _applicable(blocks: list[_Block], role: str) -> dict[str, object]:
    """Which drift kinds this config allows, with the block each would change."""
    found: dict[str, object] = {}
    for b in blocks:
        if b.header.startswith("interface "):
            kids = [c.strip() for c in b.children]
            if "ospf_cost" not in found and any(k.startswith("ip ospf area") for k in kids) \
                    and "ip ospf passive" not in kids:
                found["ospf_cost"] = b
            if "description" not in found and any(k.startswith("description ") for k in kids):
                found["description"] = b
        elif b.header.startswith("log syslog") and "logging" not in found:
            found["logging"] = b
        elif b.header.startswith("line vty") and any(c.strip().startswith("access-class") for c in b.children):
            found.setdefault("vty_acl", b)
    if not any(b.header == DRIFT_ROUTE for b in blocks):
        found["static_route"] = None
    if role != "gateway" and not any(b.header == "no ip forwarding" for b in blocks):
        found["forwarding"] = None
    return found


def apply_drift(config: str, kind: str, role: str = "ce_router") -> tuple[str, Drift]:
    """Apply one drift of ``kind`` to a config; returns the drifted text and what changed.

    Examples:
        >>> text = "hostname r1\\ninterface e0\\n ip ospf area 0\\n ip ospf cost 10\\nexit\\n"
        >>> new, d = apply_drift(text, "ospf_cost")
        >>> d.section, d.intended, d.running
        ('interface e0', ' ip ospf cost 10', ' ip ospf cost 100')
        >>> apply_drift("hostname r1\\n", "static_route")[0]
        'hostname r1\\nip route 192.0.2.0/24 Null0\\n'
    """
    blocks = parse_blocks(config)
    target = _applicable(blocks, role)
    if kind not in target:
        raise ValueError(f"drift {kind} does not apply to this config")
    block = target[kind]
    if kind == "ospf_cost":
        assert isinstance(block, _Block)
        old = next((c for c in block.children if c.strip().startswith("ip ospf cost ")), None)
        cost = DRIFT_COST if old is None or int(old.split()[-1]) != DRIFT_COST else DRIFT_COST + 1
        new = f" ip ospf cost {cost}"
        if old is None:
            block.children.append(new)
        else:
            block.children[block.children.index(old)] = new
        drift = Drift(kind="ospf_cost", section=block.header, intended=old, running=new,
                      reason="OSPF cost changed by hand on the provider link (traffic engineering left behind)")
    elif kind == "logging":
        assert isinstance(block, _Block)
        blocks.remove(block)
        drift = Drift(kind="logging", section=None, intended=block.header, running=None,
                      reason="logging to the central collector removed (FRR logs to syslog, which forwards it)")
    elif kind == "static_route":
        blocks.append(_Block(DRIFT_ROUTE))
        drift = Drift(kind="static_route", section=None, intended=None, running=DRIFT_ROUTE,
                      reason="a test route left behind after troubleshooting")
    elif kind == "description":
        assert isinstance(block, _Block)
        old = next(c for c in block.children if c.strip().startswith("description "))
        new = f" description {DRIFT_DESCRIPTION}"
        block.children[block.children.index(old)] = new
        drift = Drift(kind="description", section=block.header, intended=old, running=new,
                      reason="interface description overwritten with a temporary note")
    elif kind == "forwarding":
        blocks.insert(next((i + 1 for i, b in enumerate(blocks) if b.header.startswith("hostname")), 0),
                      _Block("no ip forwarding"))
        drift = Drift(kind="forwarding", section=None, intended=None, running="no ip forwarding",
                      reason="IP forwarding switched off (the router no longer routes)")
    else:  # vty_acl
        assert isinstance(block, _Block)
        old = next(c for c in block.children if c.strip().startswith("access-class"))
        block.children.remove(old)
        drift = Drift(kind="vty_acl", section=block.header, intended=old, running=None,
                      reason="management access-class removed: the router's vty accepts any source")
    return join_blocks(blocks), drift


def seed_drift(configs: dict[str, str], roles: dict[str, str]) -> tuple[dict[str, str], dict[str, list[Drift]]]:
    """One drift per router, handed out in turn from :data:`DRIFT_KINDS` (skipping kinds a router's config
    does not allow), so a lab of a few routers already holds every kind. Deterministic: routers in the
    order given.

    Examples:
        >>> cfgs = {"r1": "hostname r1\\nlog syslog informational\\n", "r2": "hostname r2\\nlog syslog informational\\n"}
        >>> new, drifts = seed_drift(cfgs, {"r1": "ce_router", "r2": "ce_router"})
        >>> [(n, [d.kind for d in ds]) for n, ds in drifts.items()]
        [('r1', ['logging']), ('r2', ['static_route'])]
    """
    out: dict[str, str] = {}
    drifts: dict[str, list[Drift]] = {}
    turn = 0
    for name, text in configs.items():
        allowed = _applicable(parse_blocks(text), roles.get(name, "ce_router"))
        for step in range(len(DRIFT_KINDS)):
            kind = DRIFT_KINDS[(turn + step) % len(DRIFT_KINDS)]
            if kind in allowed:
                out[name], drift = apply_drift(text, kind, roles.get(name, "ce_router"))
                drifts[name] = [drift]
                turn = (turn + step + 1) % len(DRIFT_KINDS)
                break
        else:
            out[name], drifts[name] = text, []
    return out, drifts
