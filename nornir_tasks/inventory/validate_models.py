"""Checks of device models and interface names against the platform packages' tables.

* ``INV-050`` an interface the device's model does not have (a port number past the model's last port, a
  sub-interface on a model that cannot carry one, an address on a layer-2-only port, or a dedicated
  management port on a model without one); the hint lists the model's valid port names.
* ``INV-051`` an interface name that is not in the platform's naming (``GigabitEthernet0`` on Huawei VRP,
  ``Gi0/0/0`` where the device prints ``GigabitEthernet0/0/0``).
* ``INV-052`` (warning) a model that is not in its platform's model table, so its ports cannot be checked.

The tables are data in ``nornir_tasks/platforms/<name>/models.py`` (:mod:`nornir_tasks.platforms.hardware`).
"""

from __future__ import annotations

from typing import Any, Protocol

from nornir_tasks.errors import Severity
from nornir_tasks.model import Device, Inventory
from nornir_tasks.platforms.hardware import DeviceModel, device_model, example_names, models_of, name_problem, \
    port_problem


class FindingSink(Protocol):
    """Where a pure check puts a finding: keyed by entity ``(kind, id)`` and the field path inside it
    (:class:`nornir_tasks.inventory.validate._Out`; the YAML loader adds file and line afterwards)."""

    def add(self, code: str, message: str, hint: str, entity: tuple[str, str] | None, *path: Any,
            host: str | None = None, severity: Severity = Severity.ERROR) -> None: ...


def check_models(inv: Inventory, ctx: FindingSink) -> None:
    """Add INV-050/051/052 findings for every device of the inventory."""
    unknown: set[tuple[str, str]] = set()
    for dev in inv.devices.values():
        platform = dev.platform.value
        model = device_model(platform, dev.model)
        if dev.model and model is None and models_of(platform) and (platform, dev.model) not in unknown:
            unknown.add((platform, dev.model))
            ctx.add("INV-052", f"model {dev.model} of device {dev.name} is not in the {platform} model table, so its "
                    "ports are not checked",
                    f"add it to nornir_tasks/platforms/{platform}/models.py (known: "
                    f"{', '.join(sorted(models_of(platform)))})",
                    ("device", dev.name), "data", "model", host=dev.name, severity=Severity.WARNING)
        _check_device(dev, model, ctx)


def _check_device(dev: Device, model: DeviceModel | None, ctx: FindingSink) -> None:
    platform = dev.platform.value
    for n, itf in enumerate(dev.interfaces):
        where: tuple[Any, ...] = ("data", "interfaces", n, "name")
        problem = name_problem(platform, itf.name)
        if problem is not None:
            ctx.add("INV-051", f"device {dev.name} ({platform}) has interface {itf.name!r}: {problem}",
                    f"{platform} names interfaces like {', '.join(example_names(platform)[:6])}",
                    ("device", dev.name), *where, host=dev.name)
            continue
        if model is None:
            continue
        routed = itf.ipv4 is not None or itf.ipv6 is not None
        problem = port_problem(model, platform, itf.name, routed)
        if problem is not None:
            ctx.add("INV-050", f"device {dev.name}: {problem}", _ports_hint(model), ("device", dev.name), *where,
                    host=dev.name)


def _ports_hint(model: DeviceModel) -> str:
    """The model's valid port names for a hint (shortened), its management port and in-band option.

    Examples:
        >>> from nornir_tasks.platforms.hardware import device_model
        >>> _ports_hint(device_model("juniper_junos", "SRX300"))
        'valid ports of SRX300: ge-0/0/0 … ge-0/0/7; no dedicated management port: manage it in-band (e.g. ge-0/0/7)'
    """
    if model.modular:
        return f"{model.name} is modular: use a port of an installed line card"
    groups: dict[str, list[str]] = {}
    for p in (p for p in model.all_ports() if p != model.mgmt_port):
        groups.setdefault(p.rstrip("0123456789"), []).append(p)   # same port type and slot: one range
    shown = ", ".join(g[0] if len(g) == 1 else f"{g[0]} … {g[-1]}" for g in groups.values())
    mgmt = f"management port {model.mgmt_port}" if model.mgmt_port else \
        f"no dedicated management port: manage it in-band (e.g. {model.inband_mgmt})"
    out = f"valid ports of {model.name}: {shown}; {mgmt}"
    if not model.subinterfaces:
        out += "; no layer-3 sub-interfaces (use VLAN interfaces)"
    return out
