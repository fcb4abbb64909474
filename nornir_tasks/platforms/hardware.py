"""Device models and interface naming as data: which ports a model has and how a platform names interfaces.

Each platform package holds its own table (``nornir_tasks/platforms/<name>/models.py``: ``NAMING`` and
``MODELS``); this module only defines the shapes and the look-ups over them, so validation, rendering and the
inventory generator all read the same data. Pure: no nornir, no files.

Interface names are split into type and number with netutils' ``split_interface`` and abbreviations are
expanded with its ``canonical_interface_name`` (``Gi0/0/0`` → ``GigabitEthernet0/0/0``); whether the type and
the number fit the platform is this module's job, since netutils' maps are vendor-neutral.
"""

from __future__ import annotations

import importlib
import re
from functools import cache

from netutils.interface import canonical_interface_name
from pydantic import BaseModel, ConfigDict


class NameRule(BaseModel):
    """One interface type of a platform: its type word, the shape of its number, and whether it is a port.

    ``logical`` types (loopbacks, VLAN interfaces, bundles, tunnels) exist on every model of the platform, so
    only the name's shape is checked; physical types must also be ports of the device's model.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: str
    number: str            # regular expression the number after the type must match in full
    logical: bool = False
    example: str


class Naming(BaseModel):
    """How one platform names interfaces; ``subinterface`` is the suffix of a sub-interface or unit."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rules: tuple[NameRule, ...]
    subinterface: str = r"\.\d{1,5}"
    canonical: bool = True   # netutils' canonical names apply (IOS-like); False for Junos and Linux names
    source: str


class DeviceModel(BaseModel):
    """One hardware model: its built-in ports, management port and what it can do.

    ``ports`` are written as ranges on the last number (``GigabitEthernet0/0/0-2``). A ``modular`` chassis
    (line cards decide its ports) is checked against the platform's naming only. ``typical`` lists the data
    ports the inventory generator uses, uplink first; ``typical_sub`` the parent port of gateway
    sub-interfaces; ``inband_mgmt`` the port used for management when the model has no dedicated one.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    ports: tuple[str, ...] = ()
    mgmt_port: str | None = None
    inband_mgmt: str | None = None
    modular: bool = False
    subinterfaces: bool = True
    layer2_default: tuple[str, ...] = ()     # ports that start in layer-2 mode (VRP: ``undo portswitch`` to route)
    layer2_only: tuple[str, ...] = ()        # ports that can never carry an address
    flow_mode: bool = False                  # Junos SRX: stateful flow mode, every routed unit needs a zone
    ports_down_default: bool = False         # VRP8 (NE40E): physical ports are shut until ``undo shutdown``
    commit_required: bool = False            # VRP8 (NE40E): two-stage configuration, ``commit`` applies it
    netmiko_device_type: str | None = None   # when it differs from the platform's
    aaa_admin_domain: str | None = None      # VRP: the AAA domain administrators log in through
    ipv6_global: bool = False                # VRP5 (AR, S, USG): 'ipv6' in the system view before interface IPv6
    manager_user: bool = False               # USG: administrators are 'manager-user … level 15'
    typical: tuple[str, ...] = ()
    typical_sub: str | None = None
    source: str

    @property
    def dedicated_mgmt(self) -> bool:
        return self.mgmt_port is not None

    def all_ports(self) -> tuple[str, ...]:
        """Every port name of the model (ranges expanded), management port included.

        Examples:
            >>> DeviceModel(name="x", ports=("Gi0/0/0-1",), mgmt_port="Gi0", source="-").all_ports()
            ('Gi0/0/0', 'Gi0/0/1', 'Gi0')
        """
        return _all_ports(self.ports, self.mgmt_port)


@cache
def _all_ports(ports: tuple[str, ...], mgmt_port: str | None) -> tuple[str, ...]:
    """:meth:`DeviceModel.all_ports`, computed once per model (validation asks for every interface of 10,000
    devices)."""
    out = [p for spec in ports for p in expand_ports(spec)]
    if mgmt_port:
        out.append(mgmt_port)
    return tuple(out)


def expand_ports(spec: str) -> list[str]:
    """A port range on the last number, expanded; a plain name stays as it is.

    Examples:
        >>> expand_ports("GigabitEthernet0/0/0-2")
        ['GigabitEthernet0/0/0', 'GigabitEthernet0/0/1', 'GigabitEthernet0/0/2']
        >>> expand_ports("Ethernet49/1-2")
        ['Ethernet49/1', 'Ethernet49/2']
        >>> expand_ports("fxp0")
        ['fxp0']
    """
    m = re.fullmatch(r"(.*?)(\d+)-(\d+)", spec)
    if m is None:
        return [spec]
    head, first, last = m.group(1), int(m.group(2)), int(m.group(3))
    return [f"{head}{n}" for n in range(first, last + 1)]


@cache
def _package(platform: str) -> object | None:
    try:
        return importlib.import_module(f"nornir_tasks.platforms.{platform}.models")
    except ModuleNotFoundError:
        return None


def naming_of(platform: str) -> Naming | None:
    """The interface naming of a platform (None when its package declares none).

    Examples:
        >>> naming_of("huawei_vrp").rules[0].type
        'GigabitEthernet'
    """
    pkg = _package(str(platform))
    return getattr(pkg, "NAMING", None) if pkg is not None else None


def models_of(platform: str) -> dict[str, DeviceModel]:
    """Every model of a platform's table, by name.

    Examples:
        >>> "ASR1001-X" in models_of("cisco_ios")
        True
    """
    pkg = _package(str(platform))
    table: tuple[DeviceModel, ...] = getattr(pkg, "MODELS", ()) if pkg is not None else ()
    return {m.name: m for m in table}


def device_model(platform: str, model: str | None) -> DeviceModel | None:
    """A model's row, or None when the model is unknown (or not given).

    Examples:
        >>> device_model("juniper_junos", "SRX300").mgmt_port is None
        True
        >>> device_model("juniper_junos", "SRX9999") is None
        True
    """
    if not model:
        return None
    return models_of(str(platform)).get(model)


def name_problem(platform: str, name: str) -> str | None:
    """Why ``name`` is not an interface name of ``platform`` (None when it is one).

    Examples:
        >>> name_problem("huawei_vrp", "GigabitEthernet0") is not None
        True
        >>> name_problem("huawei_vrp", "GigabitEthernet0/0/1.101") is None
        True
        >>> name_problem("cisco_ios", "Gi0/0/0")
        "write the full name 'GigabitEthernet0/0/0' (the device prints it so)"
        >>> name_problem("juniper_junos", "GigabitEthernet0/0/0") is not None
        True
    """
    naming = naming_of(str(platform))
    if naming is None:
        return None
    base, sub = _split_sub(name, naming)
    if sub is None:
        return f"a sub-interface is written <port>{naming.subinterface.replace(chr(92), '')}"
    if naming.canonical:
        full = canonical_interface_name(base)
        if full != base and _rule_for(naming, full) is not None:
            return f"write the full name {full + sub!r} (the device prints it so)"
    if _rule_for(naming, base) is None:
        return "not a name this platform uses"
    return None


def _split_sub(name: str, naming: Naming) -> tuple[str, str | None]:
    if "." not in name:
        return name, ""
    base, _, rest = name.partition(".")
    return (base, "." + rest) if re.fullmatch(naming.subinterface, "." + rest) else (base, None)


def _rule_for(naming: Naming, base: str) -> NameRule | None:
    for rule in naming.rules:
        if base.startswith(rule.type) and re.fullmatch(rule.number, base[len(rule.type):]):
            return rule
    return None


def is_logical(platform: str, name: str) -> bool:
    """True when the name is a logical interface type of the platform (loopback, VLAN interface, bundle).

    Examples:
        >>> is_logical("cisco_ios", "Loopback0"), is_logical("cisco_ios", "GigabitEthernet0/0/0")
        (True, False)
    """
    naming = naming_of(str(platform))
    if naming is None:
        return False
    rule = _rule_for(naming, name.split(".", 1)[0])
    return rule is not None and rule.logical


def example_names(platform: str) -> list[str]:
    """One example name per interface type of the platform (for hints).

    Examples:
        >>> example_names("juniper_junos")[:2]
        ['ge-0/0/0', 'xe-0/1/0']
    """
    naming = naming_of(str(platform))
    return [r.example for r in naming.rules] if naming is not None else []


def port_problem(model: DeviceModel, platform: str, name: str, routed: bool) -> str | None:
    """Why the model cannot carry interface ``name`` (None when it can).

    Examples:
        >>> m = DeviceModel(name="x", ports=("Gi0/0/0-1",), mgmt_port="Gi0", subinterfaces=False, source="-")
        >>> port_problem(m, "cisco_ios", "Gi0/0/2", True)
        'model x has no port Gi0/0/2'
        >>> port_problem(m, "cisco_ios", "Gi0/0/1.10", True)
        'model x cannot carry sub-interfaces'
    """
    base = name.split(".", 1)[0]
    if "." in name and not model.subinterfaces:
        return f"model {model.name} cannot carry sub-interfaces"
    if is_logical(platform, base) or model.modular:
        return None
    if base not in model.all_ports():
        return f"model {model.name} has no port {base}"
    if routed and base in model.layer2_only:
        return f"port {base} of model {model.name} works in layer 2 only and cannot take an address"
    return None
