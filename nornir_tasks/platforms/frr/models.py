"""FRR on Linux: interface names are Linux names (at most 15 characters, no '/'); the host is any server."""

from __future__ import annotations

from nornir_tasks.platforms.hardware import DeviceModel, Naming, NameRule

NAMING = Naming(
    rules=(
        NameRule(type="lo", number=r"\d{0,3}", logical=True, example="lo"),
        NameRule(type="", number=r"[A-Za-z][A-Za-z0-9_-]{0,14}", example="eth0"),
    ),
    subinterface=r"\.\d{1,4}",
    canonical=False,
    source="https://man7.org/linux/man-pages/man7/netdevice.7.html",
)

MODELS = (
    DeviceModel(name="x86 server", modular=True, typical=("eth0", "eth1"), mgmt_port="mgmt0",
                source="https://docs.frrouting.org/en/stable-8.4/zebra.html"),
)
