"""What ``govnet netbox init`` creates in NetBox: choice sets, custom fields and tags (data only, no network).

Custom field names are global in NetBox, so a field shared by two object types (``access_level`` on sites and
circuits) is one field with two ``object_types``. ``docs/netbox.md`` has the full mapping table.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict

from nornir_tasks.model import (
    AccessLevel,
    AllocatedBy,
    CircuitRole,
    InterfaceKind,
    Network,
    Region,
    SiteStatus,
    SiteType,
    Zone,
)

MANAGED_TAG = "govnet-managed"
ORPHAN_TAG = "govnet-orphan"

TAGS: dict[str, dict[str, str]] = {
    MANAGED_TAG: {"name": MANAGED_TAG, "slug": MANAGED_TAG, "color": "2196f3",
                  "description": "written by govnet netbox push; govnet changes only objects with this tag"},
    ORPHAN_TAG: {"name": ORPHAN_TAG, "slug": ORPHAN_TAG, "color": "f44336",
                 "description": "no longer in govnet's inventory; deleted by 'govnet netbox push --prune' after the grace period"},
}


def _choices(enum: type[Enum]) -> list[list[str]]:
    return [[m.value, m.value] for m in enum]


#: choice set name → [[value, label], ...]
CHOICE_SETS: dict[str, list[list[str]]] = {
    "govnet_region": _choices(Region),
    "govnet_site_type": _choices(SiteType),
    "govnet_site_status": _choices(SiteStatus),
    "govnet_access_level": _choices(AccessLevel),
    "govnet_interface_kind": _choices(InterfaceKind),
    "govnet_zone": _choices(Zone),
    "govnet_network": _choices(Network),
    "govnet_circuit_role": _choices(CircuitRole),
    "govnet_allocated_by": _choices(AllocatedBy),
}


class CustomField(BaseModel):
    """One NetBox custom field govnet owns."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    type: str                         # NetBox custom field type: text, integer, boolean, date, json, select
    object_types: tuple[str, ...]
    description: str
    choice_set: str | None = None
    validation_regex: str = ""

    def payload(self, choice_set_ids: dict[str, int]) -> dict[str, Any]:
        """The body of a POST/PATCH to ``/api/extras/custom-fields/``.

        Examples:
            >>> CUSTOM_FIELDS["zone"].payload({"govnet_zone": 7})["choice_set"]
            7
        """
        body: dict[str, Any] = {"name": self.name, "label": self.name.replace("_", " "), "type": self.type,
                                "object_types": list(self.object_types), "description": self.description,
                                "group_name": "govnet", "required": False,
                                "validation_regex": self.validation_regex}
        if self.choice_set:
            body["choice_set"] = choice_set_ids[self.choice_set]
        return body


_SITE, _DEV, _IF, _VLAN, _PFX, _CKT, _PLAT = ("dcim.site", "dcim.device", "dcim.interface", "ipam.vlan",
                                              "ipam.prefix", "circuits.circuit", "dcim.platform")

CUSTOM_FIELDS: dict[str, CustomField] = {f.name: f for f in [
    CustomField(name="commune_code", type="text", object_types=(_SITE,), validation_regex=r"^\d{5}$",
                description="5-digit commune code from the 2025 list"),
    CustomField(name="socio_region", type="select", object_types=(_SITE,), choice_set="govnet_region",
                description="socio-economic region of the statistics office"),
    CustomField(name="mountainous", type="boolean", object_types=(_SITE,), description="mountainous area"),
    CustomField(name="access_level", type="select", object_types=(_SITE, _CKT), choice_set="govnet_access_level",
                description="TSLCD access level (I: central-province, II: province-commune)"),
    CustomField(name="site_type", type="select", object_types=(_SITE,), choice_set="govnet_site_type",
                description="kind of place"),
    CustomField(name="govnet_status", type="select", object_types=(_SITE,), choice_set="govnet_site_status",
                description="govnet's own site status (finer than NetBox's)"),
    CustomField(name="state_secret", type="boolean", object_types=(_SITE,), description="site handles state secrets"),
    CustomField(name="focal_point", type="json", object_types=(_SITE,),
                description="technical focal point: name, unit, phone, email"),
    CustomField(name="legacy_district", type="text", object_types=(_SITE,), description="district before 2025"),
    CustomField(name="mgmt_host", type="text", object_types=(_DEV,), description="address govnet connects to"),
    CustomField(name="ssh_port", type="integer", object_types=(_DEV,), description="management port if not default"),
    CustomField(name="os_version", type="text", object_types=(_DEV,), description="software version"),
    CustomField(name="loopback_ipv4", type="text", object_types=(_DEV,), description="router id / loopback"),
    CustomField(name="asn", type="integer", object_types=(_DEV,), description="BGP AS number"),
    CustomField(name="managed_by", type="text", object_types=(_DEV,), description="e.g. VNPT for provider CE"),
    CustomField(name="govnet_groups", type="json", object_types=(_DEV,), description="Nornir groups, in order"),
    CustomField(name="govnet_custom", type="json", object_types=(_DEV,), description="free custom data"),
    CustomField(name="interface_kind", type="select", object_types=(_IF,), choice_set="govnet_interface_kind",
                description="wan, lan, mgmt or loopback"),
    CustomField(name="zone", type="select", object_types=(_IF, _VLAN), choice_set="govnet_zone",
                description="security zone"),
    CustomField(name="lan_vlan", type="integer", object_types=(_IF,), description="VLAN id of the interface"),
    CustomField(name="ospf_cost", type="integer", object_types=(_IF,), description="OSPF cost"),
    CustomField(name="govnet_index", type="integer", object_types=(_IF, _VLAN, _PFX),
                description="position in govnet's inventory files (pull keeps the order)"),
    CustomField(name="gateway", type="text", object_types=(_VLAN,), description="device that routes the VLAN"),
    CustomField(name="allocated_by", type="select", object_types=(_PFX,), choice_set="govnet_allocated_by",
                description="who allocated the block (Circular 19/2023)"),
    CustomField(name="network", type="select", object_types=(_PFX, _CKT), choice_set="govnet_network",
                description="tslcd, internet or metronet"),
    CustomField(name="last_review", type="date", object_types=(_PFX,), description="last yearly review"),
    CustomField(name="circuit_role", type="select", object_types=(_CKT,), choice_set="govnet_circuit_role",
                description="primary or backup"),
    CustomField(name="routing", type="json", object_types=(_CKT,), description="PE-CE routing"),
    CustomField(name="status_history", type="json", object_types=(_SITE, _DEV, _CKT),
                description="dated status changes: [{status, date, note}]"),
    CustomField(name="napalm_driver", type="text", object_types=(_PLAT,), description="NAPALM driver name"),
    CustomField(name="netmiko_device_type", type="text", object_types=(_PLAT,), description="netmiko device type"),
]}
