"""Juniper Junos: interface naming and the hardware models the inventory uses (data only).

Physical ports are ``type-fpc/pic/port`` (``ge-0/0/1``); units are ``.N``. Only SRX340/345 (and larger)
have a dedicated out-of-band port ``fxp0``; on an SRX300 ``fxp0`` exists only in a chassis cluster, so its
management is in-band on a ``ge-`` port. Every SRX runs in flow mode by default: an interface that is in no
security zone drops all traffic, the device's own BGP, OSPF and SSH included.
"""

from __future__ import annotations

from nornir_tasks.platforms.hardware import DeviceModel, Naming, NameRule

_FPC = r"\d{1,2}/\d{1,2}/\d{1,2}(:\d)?"

NAMING = Naming(
    rules=(
        NameRule(type="ge-", number=_FPC, example="ge-0/0/0"),
        NameRule(type="xe-", number=_FPC, example="xe-0/1/0"),
        NameRule(type="et-", number=_FPC, example="et-0/0/0"),
        NameRule(type="fe-", number=_FPC, example="fe-0/0/0"),
        NameRule(type="fxp", number=r"0", example="fxp0"),
        NameRule(type="em", number=r"\d", example="em0"),
        NameRule(type="lo", number=r"0", logical=True, example="lo0"),
        NameRule(type="irb", number=r"", logical=True, example="irb"),
        NameRule(type="ae", number=r"\d{1,3}", logical=True, example="ae0"),
        NameRule(type="reth", number=r"\d{1,3}", logical=True, example="reth0"),
        NameRule(type="st", number=r"0", logical=True, example="st0"),
    ),
    subinterface=r"\.\d{1,5}",
    canonical=False,
    source="https://www.juniper.net/documentation/us/en/software/junos/interfaces-fundamentals/topics/topic-map/router-interfaces-overview.html",
)

MODELS = (
    DeviceModel(
        name="SRX345", ports=("ge-0/0/0-15",), mgmt_port="fxp0", flow_mode=True,
        typical=("ge-0/0/0", "ge-0/0/1", "ge-0/0/2"),
        source="https://www.juniper.net/documentation/us/en/hardware/srx345/topics/topic-map/srx345-overview.html"),
    DeviceModel(
        name="SRX300", ports=("ge-0/0/0-7",), mgmt_port=None, inband_mgmt="ge-0/0/7", flow_mode=True,
        typical=("ge-0/0/0", "ge-0/0/1", "ge-0/0/2"),
        source="https://www.juniper.net/documentation/us/en/hardware/srx300/topics/topic-map/srx300-overview.html"),
    DeviceModel(
        name="MX204", ports=("et-0/0/0-3", "xe-0/1/0-7"), mgmt_port="fxp0",
        typical=("xe-0/1/0", "xe-0/1/1"), typical_sub="xe-0/1/2",
        source="https://www.juniper.net/documentation/us/en/hardware/mx204/topics/concept/mx204-hardware-overview.html"),
    DeviceModel(
        name="MX480", modular=True, mgmt_port="fxp0",
        source="https://www.juniper.net/documentation/us/en/hardware/mx480/index.html"),
)
