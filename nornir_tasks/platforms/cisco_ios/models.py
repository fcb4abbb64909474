"""Cisco IOS / IOS-XE: interface naming and the hardware models the inventory uses (data only).

Port lists are the built-in ports of each model as the vendor's data sheet and hardware guide give them;
modules (NIM, network modules, SPAs) are not listed, so a port on a module needs the model entry extended.
"""

from __future__ import annotations

from nornir_tasks.platforms.hardware import DeviceModel, Naming, NameRule

_SLOT = r"\d{1,2}(/\d{1,2}){0,2}"

NAMING = Naming(
    rules=(
        NameRule(type="GigabitEthernet", number=_SLOT, example="GigabitEthernet0/0/0"),
        NameRule(type="TenGigabitEthernet", number=_SLOT, example="TenGigabitEthernet0/0/0"),
        NameRule(type="TwentyFiveGigE", number=_SLOT, example="TwentyFiveGigE1/0/1"),
        NameRule(type="FortyGigabitEthernet", number=_SLOT, example="FortyGigabitEthernet1/1/1"),
        NameRule(type="HundredGigE", number=_SLOT, example="HundredGigE0/1/0"),
        NameRule(type="FastEthernet", number=_SLOT, example="FastEthernet0/0"),
        NameRule(type="Serial", number=_SLOT + r"(:\d+)?", example="Serial0/1/0"),
        NameRule(type="Cellular", number=_SLOT, example="Cellular0/2/0"),
        NameRule(type="Loopback", number=r"\d{1,10}", logical=True, example="Loopback0"),
        NameRule(type="Vlan", number=r"\d{1,4}", logical=True, example="Vlan10"),
        NameRule(type="Port-channel", number=r"\d{1,3}", logical=True, example="Port-channel1"),
        NameRule(type="Tunnel", number=r"\d{1,10}", logical=True, example="Tunnel0"),
        NameRule(type="Dialer", number=r"\d{1,3}", logical=True, example="Dialer1"),
    ),
    source="https://www.cisco.com/c/en/us/td/docs/routers/access/4400/software/configuration/xe-16-6/isr4400swcfg-xe-16-6-book/m-basic-router-config.html",
)

MODELS = (
    DeviceModel(
        name="ISR4331", ports=("GigabitEthernet0/0/0-2",), mgmt_port="GigabitEthernet0",
        typical=("GigabitEthernet0/0/0", "GigabitEthernet0/0/1"),
        source="https://www.cisco.com/c/en/us/products/collateral/routers/4000-series-integrated-services-routers-isr/data_sheet-c78-732542.html"),
    DeviceModel(
        name="ISR4321", ports=("GigabitEthernet0/0/0-1",), mgmt_port="GigabitEthernet0",
        typical=("GigabitEthernet0/0/0", "GigabitEthernet0/0/1"),
        source="https://www.cisco.com/c/en/us/products/collateral/routers/4000-series-integrated-services-routers-isr/data_sheet-c78-732542.html"),
    # ASR1001-X: six built-in 1GE (0/0/0-5) and two built-in 10GE (Te0/0/0-1); the SPA bay is subslot 0/1
    DeviceModel(
        name="ASR1001-X", ports=("GigabitEthernet0/0/0-5", "TenGigabitEthernet0/0/0-1"),
        mgmt_port="GigabitEthernet0",
        typical=("TenGigabitEthernet0/0/0", "TenGigabitEthernet0/0/1"), typical_sub="GigabitEthernet0/0/1",
        source="https://www.cisco.com/c/en/us/td/docs/routers/asr1000/install/guide/1001-x/asr1hig-book/asr1hig-book_chapter_01.html"),
    # ASR1002-HX: built-in 10GE Te0/0/0-3 and 1GE Gi0/0/4-7; the EPA bays (0/1, 0/2) are not listed
    DeviceModel(
        name="ASR1002-HX", ports=("TenGigabitEthernet0/0/0-3", "GigabitEthernet0/0/4-7"),
        mgmt_port="GigabitEthernet0",
        typical=("TenGigabitEthernet0/0/0", "TenGigabitEthernet0/0/1"), typical_sub="GigabitEthernet0/0/4",
        source="https://www.cisco.com/c/en/us/td/docs/routers/asr1000/install/guide/asr1002-hx/asr1002-hx-hig/overview.html"),
    DeviceModel(
        name="C9300-24T", ports=("GigabitEthernet1/0/1-24",), mgmt_port="GigabitEthernet0/0",
        typical=("GigabitEthernet1/0/1", "GigabitEthernet1/0/2", "GigabitEthernet1/0/3"),
        source="https://www.cisco.com/c/en/us/products/collateral/switches/catalyst-9300-series-switches/nb-06-cat9300-ser-data-sheet-cte-en.html"),
    DeviceModel(
        name="C9200L-24T-4G", ports=("GigabitEthernet1/0/1-24", "GigabitEthernet1/1/1-4"),
        mgmt_port="GigabitEthernet0/0",
        typical=("GigabitEthernet1/0/1", "GigabitEthernet1/0/2", "GigabitEthernet1/0/3"),
        source="https://www.cisco.com/c/en/us/products/collateral/switches/catalyst-9200-series-switches/nb-06-cat9200-ser-data-sheet-cte-en.html"),
)
