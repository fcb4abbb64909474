"""Huawei VRP: interface naming and the hardware models the inventory uses (data only).

VRP numbers ports slot/subcard/port (``GigabitEthernet0/0/1``); logical interfaces take one number
(``LoopBack0``, ``Vlanif10``, ``Eth-Trunk1``). AR routers' small models have no MEth management port: their
management is in-band. On AR6100/AR600 models the Ethernet ports start in layer-2 mode and need
``undo portswitch`` before they take an address (Huawei EDOC1100331435, "Switching the working mode of an
Ethernet interface"). NE40E (VRP8) keeps physical ports shut until ``undo shutdown`` and applies changes only
on ``commit``.
"""

from __future__ import annotations

from nornir_tasks.platforms.hardware import DeviceModel, Naming, NameRule

_PORT = r"\d{1,2}/\d{1,2}/\d{1,2}"

NAMING = Naming(
    rules=(
        NameRule(type="GigabitEthernet", number=_PORT, example="GigabitEthernet0/0/1"),
        NameRule(type="XGigabitEthernet", number=_PORT, example="XGigabitEthernet0/0/1"),
        NameRule(type="25GE", number=_PORT, example="25GE1/0/1"),
        NameRule(type="40GE", number=_PORT, example="40GE1/0/1"),
        NameRule(type="100GE", number=_PORT, example="100GE1/0/1"),
        NameRule(type="Ethernet", number=_PORT, example="Ethernet0/0/1"),
        NameRule(type="MEth", number=_PORT, example="MEth0/0/1"),
        NameRule(type="LoopBack", number=r"\d{1,4}", logical=True, example="LoopBack0"),
        NameRule(type="Vlanif", number=r"\d{1,4}", logical=True, example="Vlanif10"),
        NameRule(type="Eth-Trunk", number=r"\d{1,3}", logical=True, example="Eth-Trunk1"),
        NameRule(type="Tunnel", number=r"\d{1,2}/\d{1,2}/\d{1,4}", logical=True, example="Tunnel0/0/1"),
        NameRule(type="Dialer", number=r"\d{1,4}", logical=True, example="Dialer1"),
        NameRule(type="NULL", number=r"0", logical=True, example="NULL0"),
    ),
    canonical=False,
    source="https://support.huawei.com/enterprise/en/doc/EDOC1100213474/5d4194fe/interface-numbering-conventions",
)

_AR_L2 = "https://support.huawei.com/enterprise/en/doc/EDOC1100331435"

MODELS = (
    # nine GE ports; GE0/0/0, 0/0/1, 0/0/4, 0/0/5 and 0/0/8 can leave layer 2 (undo portswitch), the others cannot
    DeviceModel(
        name="AR6140-S", ports=("GigabitEthernet0/0/0-8",), mgmt_port=None,
        inband_mgmt="GigabitEthernet0/0/4",
        layer2_default=("GigabitEthernet0/0/0", "GigabitEthernet0/0/1", "GigabitEthernet0/0/4",
                        "GigabitEthernet0/0/5", "GigabitEthernet0/0/8"),
        layer2_only=("GigabitEthernet0/0/2", "GigabitEthernet0/0/3", "GigabitEthernet0/0/6",
                     "GigabitEthernet0/0/7"),
        aaa_admin_domain="default_admin", ipv6_global=True,
        typical=("GigabitEthernet0/0/0", "GigabitEthernet0/0/1"), source=_AR_L2),
    # eight GE LAN ports (0/0/0-7, layer 2 until undo portswitch) and two GE WAN ports
    DeviceModel(
        name="AR651", ports=("GigabitEthernet0/0/0-9",), mgmt_port=None, inband_mgmt="GigabitEthernet0/0/4",
        layer2_default=tuple(f"GigabitEthernet0/0/{n}" for n in range(8)),
        aaa_admin_domain="default_admin", ipv6_global=True,
        typical=("GigabitEthernet0/0/0", "GigabitEthernet0/0/1"), source=_AR_L2),
    DeviceModel(
        name="USG6525E", ports=("GigabitEthernet1/0/0-7",), mgmt_port="GigabitEthernet0/0/0",
        aaa_admin_domain="default", ipv6_global=True, manager_user=True,
        typical=("GigabitEthernet1/0/0", "GigabitEthernet1/0/1", "GigabitEthernet1/0/2"),
        source="https://support.huawei.com/enterprise/en/doc/EDOC1100092598"),
    DeviceModel(
        name="S5735-L24T4X", ports=("GigabitEthernet0/0/1-24", "XGigabitEthernet0/0/1-4"),
        mgmt_port="MEth0/0/1", aaa_admin_domain="default_admin", ipv6_global=True,
        typical=("GigabitEthernet0/0/1", "GigabitEthernet0/0/2", "GigabitEthernet0/0/3"),
        source="https://support.huawei.com/enterprise/en/doc/EDOC1100141588"),
    # line cards decide the ports; the MPU's management port is GigabitEthernet0/0/0
    DeviceModel(
        name="NE40E-X3A", modular=True, mgmt_port="GigabitEthernet0/0/0", ports_down_default=True,
        commit_required=True, netmiko_device_type="huawei_vrpv8", aaa_admin_domain="default_admin",
        typical=("GigabitEthernet0/1/0", "GigabitEthernet0/1/1"), typical_sub="GigabitEthernet0/3/0",
        source="https://support.huawei.com/enterprise/en/doc/EDOC1100055044"),
)
