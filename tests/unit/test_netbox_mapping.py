"""The inventory → NetBox mapping (pure): every reference points at an object the push also writes, keys are
the ones NetBox records give back, and the custom fields used are the ones ``govnet netbox init`` creates."""

from __future__ import annotations

from pathlib import Path

import pytest

from nornir_tasks.inventory.load import load_or_raise
from nornir_tasks.netbox.mapping import KINDS, Ref, desired_objects, payload
from nornir_tasks.netbox.schema import CHOICE_SETS, CUSTOM_FIELDS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sample():
    inv = load_or_raise(ROOT / "inventory").inventory
    return inv, desired_objects(inv)


def _refs(value):
    if isinstance(value, Ref):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from _refs(v)


def test_every_reference_is_written_earlier(sample):
    _inv, objs = sample
    order = list(KINDS)
    for kind, items in objs.items():
        for key, fields in items.items():
            for value in fields.values():
                for ref in _refs(value):
                    assert ref.key in objs[ref.kind], f"{kind} {key} -> {ref}"
                    assert order.index(ref.kind) < order.index(kind), f"{kind} refers to later {ref.kind}"


def test_counts_follow_the_inventory(sample):
    inv, objs = sample
    assert len(objs["device"]) == len(inv.devices)
    assert len(objs["interface"]) == sum(len(d.interfaces) for d in inv.devices.values())
    assert len(objs["ip_address"]) == sum((i.ipv4 is not None) + (i.ipv6 is not None)
                                          for d in inv.devices.values() for i in d.interfaces)
    assert len(objs["cable"]) == len(inv.links) + 2 * len(inv.circuits)
    assert len(objs["vlan"]) == len(inv.lans)
    assert len(objs["config_context"]) == 1 + len(inv.groups)


def test_custom_fields_used_exist_for_that_object_type(sample):
    _inv, objs = sample
    types = {"site": "dcim.site", "device": "dcim.device", "interface": "dcim.interface", "vlan": "ipam.vlan",
             "prefix": "ipam.prefix", "circuit": "circuits.circuit", "platform": "dcim.platform"}
    for kind, items in objs.items():
        for fields in items.values():
            for name in fields.get("custom_fields", {}):
                assert name in CUSTOM_FIELDS, name
                assert types[kind] in CUSTOM_FIELDS[name].object_types, (kind, name)
    for spec in CUSTOM_FIELDS.values():
        assert spec.choice_set is None or spec.choice_set in CHOICE_SETS


def test_payload_refuses_an_unresolved_reference():
    with pytest.raises(LookupError, match="device:r9 does not exist"):
        payload({"device": Ref("device", "r9")}, {"device": {}})
