"""One exception tree with stable codes, and the finding type every stage reports with.

Every error a user can see carries a ``code`` from :data:`CATALOG`, a sentence that names the
file/line/field or host it is about, and a hint that says how to fix it. The CLI turns them into
sentences and exit codes; nothing below the CLI prints or exits.
"""

from __future__ import annotations

from enum import Enum
from typing import Iterable

from pydantic import BaseModel, ConfigDict


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


#: Every stable code govnet can raise or report, with a short title. A test asserts that every code
#: used in the package is listed here.
CATALOG: dict[str, str] = {
    # configuration / usage
    "CFG-001": "configuration file missing or unreadable",
    "CFG-002": "configuration file invalid",
    "CFG-003": "bad command-line usage",
    "CFG-004": "required environment variable not set",
    "CFG-005": "output folder refused (state, inventory, a file, or another command's non-empty folder)",
    "CFG-006": "file system error (cannot create, read or write; read-only; disk full)",
    # inventory: files and syntax
    "INV-001": "inventory file missing",
    "INV-002": "inventory file empty",
    "INV-003": "YAML syntax error",
    "INV-004": "duplicate key in a YAML mapping",
    "INV-005": "file is not UTF-8",
    "INV-006": "file too large",
    "INV-007": "top level of the file has the wrong shape",
    "INV-008": "not a regular file (device, FIFO or socket)",
    # inventory: schema
    "INV-010": "unknown key",
    "INV-011": "missing required field",
    "INV-012": "wrong type or invalid value",
    "INV-013": "value not one of the allowed choices",
    "INV-014": "invalid IP address or prefix",
    "INV-015": "invalid VLAN id",
    "INV-016": "invalid host or device name",
    "INV-017": "control character or newline in a value",
    "INV-018": "unknown platform",
    "INV-019": "text with no ASCII form for a platform whose CLI takes ASCII only",
    # inventory: references
    "INV-020": "device refers to an unknown site",
    "INV-021": "circuit or link end refers to an unknown device",
    "INV-022": "circuit or link end refers to an unknown interface",
    "INV-023": "interface used by more than one circuit or link",
    "INV-024": "host refers to an unknown group",
    "INV-025": "duplicate identifier",
    "INV-026": "VLAN/LAN refers to an unknown site or device",
    "INV-027": "allocation refers to an unknown site",
    # inventory: addressing
    "INV-030": "duplicate address",
    "INV-031": "overlapping prefixes across sites or agencies",
    "INV-032": "point-to-point ends not in the same /30 or /31",
    "INV-033": "TSLCD-facing prefix outside every allocation",
    "INV-034": "allocation not reviewed in the last 12 months",
    "INV-035": "VLAN id used twice at one site",
    "INV-036": "interface address does not match its family",
    # inventory: topology
    "INV-040": "active commune site without an active level-II circuit to its own province",
    "INV-041": "commune site lies in a different province than its commune code says",
    # inventory: device models and interface names (nornir_tasks/platforms/<name>/models.py)
    "INV-050": "interface the device model does not have",
    "INV-051": "interface name not in the platform's naming",
    "INV-052": "device model not in the platform's model table",
    # inventory: geography (official 2025 list, vietnamadminunits)
    "INV-042": "province code not in the official 2025 list",
    "INV-043": "commune code not in the official 2025 list",
    "INV-044": "region differs from the region of the commune's pre-2025 province",
    "INV-045": "coordinates too far from the site's commune",
    "INV-046": "commune site's name does not name its commune",
    "INV-047": "legacy district is not a pre-2025 district of the site's commune",
    # inventory: history (dated status changes)
    "INV-060": "current status disagrees with the history",
    "INV-061": "history entries not in date order",
    "INV-062": "circuit activation date disagrees with its history or status",
    # inventory: credentials (they come only from environment variables)
    "INV-070": "password or secret in the inventory",
    # render
    "RND-001": "template not found",
    "RND-002": "template syntax error",
    "RND-003": "undefined variable in template",
    "RND-004": "filter or template runtime error",
    "RND-005": "unsafe value refused at render time",
    "RND-006": "platform or role has no template",
    # lab
    "LAB-001": "lab needs root",
    "LAB-002": "lab packages missing",
    "LAB-003": "lab command failed",
    "LAB-004": "lab is not up",
    "LAB-005": "lab selection is empty",
    # device access
    "DEV-001": "device unreachable",
    "DEV-002": "SSH host key changed",
    "DEV-003": "authentication failed",
    "DEV-004": "device rejected a command",
    # backup / compliance
    "BKP-001": "no secret-removal rules for platform",
    "BKP-002": "backup store error",
    "BKP-003": "backup store busy (a git lock is held)",
    "CMP-001": "baseline file invalid",
    "CMP-002": "waiver file invalid",
    "CMP-003": "import bundle invalid",
    "CMP-004": "no intended config for device",
    "CMP-005": "remediation or rollback line left out: it would remove or shut a protected line",
    "CMP-006": "remediation or rollback line left out: it holds a masked secret govnet does not hold",
    # rollout
    "RLT-001": "plan file invalid",
    "RLT-002": "unknown metric or parameter",
    "RLT-003": "unknown plan",
    "RLT-004": "store error",
    "RLT-005": "no site of the inventory is in a target's scope",
    # deploy
    "DPL-001": "secret environment variable not set",
    "DPL-002": "line holds a secret that cannot be pushed",
    "DPL-003": "device locked by another deploy run",
    "DPL-004": "platform or device has no way to revert a change",
    "DPL-005": "device refused the change",
    "DPL-006": "verification after the change failed",
    "DPL-007": "revert failed or left the device different from before",
    "DPL-008": "unknown deploy run",
    "DPL-009": "bad wave or failure amount",
    "DPL-010": "run stopped before this device",
    "PLY-001": "playbook file invalid (unknown key, stage or option, bad condition)",
    "PLY-002": "playbook run cannot be resumed (unknown run, changed file, different --lab/--commit)",
    # NetBox
    "NBX-001": "NetBox API token missing or refused",
    "NBX-002": "NetBox unreachable or not a NetBox",
    "NBX-003": "NetBox refused an object (validation error)",
    "NBX-004": "object edited in NetBox since govnet wrote it (conflict)",
    "NBX-005": "NetBox data does not fit govnet's inventory",
}


class Finding(BaseModel):
    """One thing a check found: a stable code, a severity, where it is, what is wrong, how to fix it.

    Examples:
        >>> f = Finding(code="INV-020", severity=Severity.ERROR, file="hosts.yaml", line=3,
        ...             field="r1.data.site", message="device r1 names site 'x', which does not exist",
        ...             hint="add the site to sites.yaml or fix the name")
        >>> f.location()
        'hosts.yaml:3 r1.data.site'
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    severity: Severity
    message: str
    hint: str = ""
    file: str | None = None
    line: int | None = None
    field: str | None = None
    host: str | None = None

    def location(self) -> str:
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "")
        if self.field:
            where = f"{where} {self.field}".strip()
        elif self.host:
            where = f"{where} {self.host}".strip()
        return where

    def sentence(self) -> str:
        loc = self.location()
        text = f"{loc}: {self.message}" if loc else self.message
        if self.hint:
            text += f" — {self.hint}"
        return f"[{self.code}] {text}"


class GovnetError(Exception):
    """Root of every error govnet raises on purpose."""

    code: str = "CFG-002"

    def __init__(self, message: str, *, code: str | None = None, hint: str = "",
                 findings: Iterable[Finding] = ()) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        if self.code not in CATALOG:
            raise ValueError(f"error code {self.code} is not in the catalog")
        self.message = message
        self.hint = hint
        self.findings: list[Finding] = list(findings)

    def sentence(self) -> str:
        text = f"[{self.code}] {self.message}"
        if self.hint:
            text += f" — {self.hint}"
        return text


class ConfigError(GovnetError):
    code = "CFG-002"


class InventoryError(GovnetError):
    """Raised when the inventory cannot be loaded; ``findings`` lists every problem found."""

    code = "INV-012"


class RenderError(GovnetError):
    code = "RND-004"


class LabError(GovnetError):
    code = "LAB-003"


class DeviceError(GovnetError):
    code = "DEV-001"


class BackupError(GovnetError):
    code = "BKP-002"


class ComplianceError(GovnetError):
    code = "CMP-001"


class RolloutError(GovnetError):
    code = "RLT-001"


class DeployError(GovnetError):
    code = "DPL-005"


class NetBoxError(GovnetError):
    code = "NBX-002"
