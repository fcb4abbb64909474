"""The device model table and the platforms' interface naming (data in nornir_tasks/platforms/<name>/models.py).

Validation refuses an interface the device's model does not have (INV-050, the hint lists the model's valid
ports) and a name the platform does not use (INV-051); the inventory generator takes its port names from the
same table, so its output validates.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from nornir_tasks.inventory import generate
from nornir_tasks.inventory.load import load_inventory
from nornir_tasks.model import Platform
from nornir_tasks.platforms.hardware import device_model, models_of, name_problem, naming_of
from tests.conftest import SAMPLE, edit_yaml

TODAY = date(2026, 11, 25)
GENERATOR_SPECS = [sp for table in (generate.CE_SPECS, generate.FW_SPECS, generate.SWITCH_SPECS,
                                    generate.GATEWAY_SPECS) for sp, _ in table] + [generate.PE_SPEC]


def findings(folder: Path, code: str) -> list:
    return [f for f in load_inventory(folder, today=TODAY).findings if f.code == code]


def _itf(d: dict, host: str, idx: int) -> dict:
    return d[host]["data"]["interfaces"][idx]


def test_every_platform_declares_its_naming() -> None:
    for platform in Platform:
        assert naming_of(platform.value) is not None, platform
        assert models_of(platform.value), platform


@pytest.mark.parametrize("spec", GENERATOR_SPECS, ids=lambda s: f"{s.platform}-{s.models[0][0]}")
def test_every_model_the_generator_uses_is_in_the_table(spec: generate.Spec) -> None:
    for model, _weight in spec.models:
        assert device_model(spec.platform, model) is not None, f"{spec.platform} {model}"


def test_every_model_the_sample_uses_is_in_the_table() -> None:
    inv = load_inventory(SAMPLE, today=TODAY).inventory
    for dev in inv.devices.values():
        assert device_model(dev.platform.value, dev.model) is not None, f"{dev.name}: {dev.model}"


@pytest.mark.parametrize("platform", [p.value for p in Platform])
def test_table_ports_follow_the_platform_naming(platform: str) -> None:
    for model in models_of(platform).values():
        names = [*model.all_ports(), *model.typical, *filter(None, (model.typical_sub, model.inband_mgmt))]
        for name in names:
            assert name_problem(platform, name) is None, f"{model.name}: {name}"
        for name in [*model.typical, *filter(None, (model.typical_sub, model.inband_mgmt))]:
            assert model.modular or name in model.all_ports(), f"{model.name}: {name}"


@pytest.mark.parametrize(("platform", "name"), [
    ("huawei_vrp", "GigabitEthernet0"),       # the Cisco management port name on a Huawei device
    ("huawei_vrp", "TenGigabitEthernet0/0/0"),
    ("juniper_junos", "GigabitEthernet0/0/0"),
    ("juniper_junos", "fxp0.0.1"),
    ("cisco_ios", "Ethernet1"),
    ("cisco_ios", "Gi0/0/0"),                 # abbreviated: the device prints GigabitEthernet0/0/0
    ("arista_eos", "GigabitEthernet0/0/0"),
])
def test_names_outside_the_platform_naming_are_refused(platform: str, name: str) -> None:
    assert name_problem(platform, name) is not None


def test_cisco_management_name_on_a_huawei_device_is_inv_051(inv_copy: Path) -> None:
    edit_yaml(inv_copy / "hosts.yaml", lambda d: _itf(d, "lcu-hdnd-ce01", 2).update(name="GigabitEthernet0"))
    found = findings(inv_copy, "INV-051")
    assert [f.host for f in found] == ["lcu-hdnd-ce01"], [f.sentence() for f in found]
    assert found[0].field == "lcu-hdnd-ce01.data.interfaces[2].name" and found[0].line
    assert "GigabitEthernet0/0/1" in found[0].hint


def test_asr1001x_ten_gig_ports_are_on_subslot_0(inv_copy: Path) -> None:
    def old_names(d: dict) -> None:
        _itf(d, "lcu-gw01", 0)["name"] = "TenGigabitEthernet0/1/0"

    def old_circuit(d: dict) -> None:
        d["VNPT-CBD-L1-1201"]["a"]["interface"] = "TenGigabitEthernet0/1/0"

    edit_yaml(inv_copy / "hosts.yaml", old_names)
    edit_yaml(inv_copy / "circuits.yaml", old_circuit)
    found = findings(inv_copy, "INV-050")
    assert len(found) == 1, [f.sentence() for f in found]
    assert "ASR1001-X has no port TenGigabitEthernet0/1/0" in found[0].message
    assert "TenGigabitEthernet0/0/0" in found[0].hint and "TenGigabitEthernet0/0/1" in found[0].hint


def test_srx300_has_no_fxp0(inv_copy: Path) -> None:
    edit_yaml(inv_copy / "hosts.yaml", lambda d: d["lcu-tu-fw01"]["data"].update(model="SRX300"))
    found = findings(inv_copy, "INV-050")
    assert [f.host for f in found] == ["lcu-tu-fw01"]
    assert "fxp0" in found[0].message and "in-band" in found[0].hint


def test_ar6140_has_no_meth_port(inv_copy: Path) -> None:
    edit_yaml(inv_copy / "hosts.yaml", lambda d: _itf(d, "lcu-stc-ce01", 2).update(name="MEth0/0/0"))
    found = findings(inv_copy, "INV-050")
    assert [f.host for f in found] == ["lcu-stc-ce01"] and "MEth0/0/0" in found[0].message


def test_sub_interface_on_a_model_without_them(inv_copy: Path) -> None:
    edit_yaml(inv_copy / "hosts.yaml", lambda d: _itf(d, "lcu-snv-ce01", 1).update(name="Ethernet2.20"))
    found = findings(inv_copy, "INV-050")
    assert any("DCS-7010TX-48 cannot carry sub-interfaces" in f.message for f in found)


def test_unknown_model_is_a_warning(inv_copy: Path) -> None:
    edit_yaml(inv_copy / "hosts.yaml", lambda d: d["lcu-tu-ce01"]["data"].update(model="ISR9999"))
    result = load_inventory(inv_copy, today=TODAY)
    assert not result.errors
    assert [f.host for f in result.findings if f.code == "INV-052"] == ["lcu-tu-ce01"]


@pytest.mark.parametrize("code", ["12", "01", "79"])
def test_generated_devices_fit_their_models(code: str) -> None:
    files = generate.build(f"province={code}", 1)
    for name, host in files["hosts.yaml"].items():
        model = device_model(host["platform"], host["data"]["model"])
        assert model is not None, name
        for itf in host["data"]["interfaces"]:
            assert name_problem(host["platform"], itf["name"]) is None, (name, itf["name"])
            base = itf["name"].split(".")[0]
            assert model.modular or base in model.all_ports(), (name, model.name, itf["name"])
            if itf["kind"] == "mgmt" and not model.dedicated_mgmt:
                assert itf["name"] == model.inband_mgmt
    for c in files["circuits.yaml"].values():
        for side in ("a", "z"):
            ends = files["hosts.yaml"][c[side]["device"]]["data"]["interfaces"]
            assert c[side]["interface"] in {i["name"] for i in ends}
