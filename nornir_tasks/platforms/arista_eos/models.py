"""Arista EOS: interface naming and the hardware models the inventory uses (data only)."""

from __future__ import annotations

from nornir_tasks.platforms.hardware import DeviceModel, Naming, NameRule

NAMING = Naming(
    rules=(
        NameRule(type="Ethernet", number=r"\d{1,3}(/\d{1,2}){0,2}", example="Ethernet1"),
        NameRule(type="Management", number=r"\d(/\d)?", example="Management1"),
        NameRule(type="Loopback", number=r"\d{1,4}", logical=True, example="Loopback0"),
        NameRule(type="Vlan", number=r"\d{1,4}", logical=True, example="Vlan10"),
        NameRule(type="Port-Channel", number=r"\d{1,4}", logical=True, example="Port-Channel1"),
        NameRule(type="Tunnel", number=r"\d{1,5}", logical=True, example="Tunnel1"),
    ),
    source="https://www.arista.com/en/um-eos/eos-ethernet-ports",
)

MODELS = (
    # 48 x 100M/1G BASE-T and 4 x SFP+; routed ports yes, but no layer-3 sub-interfaces (LAN segments
    # become VLAN interfaces on it)
    DeviceModel(
        name="DCS-7010TX-48", ports=("Ethernet1-52",), mgmt_port="Management1", subinterfaces=False,
        typical=("Ethernet1", "Ethernet2", "Ethernet3"),
        source="https://www.arista.com/assets/data/pdf/Datasheets/7010TX-Datasheet.pdf"),
    DeviceModel(
        name="DCS-7050SX3-48YC8", ports=("Ethernet1-48",) + tuple(f"Ethernet{n}/1-4" for n in range(49, 57)),
        mgmt_port="Management1",
        typical=("Ethernet1", "Ethernet2", "Ethernet3"),
        source="https://www.arista.com/assets/data/pdf/Datasheets/7050X3-Datasheet.pdf"),
)
