"""One Settings object, read from ``config.yaml`` (Nornir's own config file; ours lives under ``user_defined``).

Secrets never live here: only the *names* of the environment variables that hold them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from nornir_tasks.errors import ConfigError
from nornir_tasks.inventory.yamlio import ReadFailed, read_yaml

_ENV = Annotated[str, Field(pattern=r"^[A-Z_][A-Z0-9_]*$")]


class Credentials(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    username_env: _ENV = "GOVNET_USERNAME"
    password_env: _ENV = "GOVNET_PASSWORD"
    enable_secret_env: _ENV = "GOVNET_ENABLE_SECRET"


class NetBoxSettings(BaseModel):
    """Where NetBox is (``user_defined.govnet.netbox``); the token only from the named environment variable."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    url: str = "http://127.0.0.1:18080"
    token_env: _ENV = "NETBOX_TOKEN"
    batch: Annotated[int, Field(ge=1, le=5000)] = 250
    page_size: Annotated[int, Field(ge=50, le=5000)] = 1000
    workers: Annotated[int, Field(ge=1, le=32)] = 4
    write_workers: Annotated[int, Field(ge=1, le=8)] = 1
    timeout: Annotated[float, Field(gt=0)] = 120.0
    grace_days: Annotated[float, Field(ge=0)] = 7.0
    cache_dir: Path = Path(".state/netbox-cache")


class Settings(BaseModel):
    """govnet's settings (``user_defined.govnet`` in config.yaml). Paths are relative to config.yaml's folder."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    inventory_dir: Path = Path("inventory")
    templates_dir: Path = Path("templates")
    build_dir: Path = Path("build")
    reports_dir: Path = Path("reports")
    state_dir: Path = Path(".state")
    lab_dir: Path = Path(".lab")
    credentials: Credentials = Credentials()
    backup_max_age_days: Annotated[int, Field(ge=1, le=36_500)] = 30
    num_workers: Annotated[int, Field(ge=1, le=200)] = 20
    connect_timeout: Annotated[float, Field(gt=0, le=3600)] = 10.0
    baseline_dir: Path = Path("inventory/baselines")
    plans_dir: Path = Path("inventory/plans")
    netbox: NetBoxSettings = NetBoxSettings()

    # filled in by load_settings (not from the file)
    config_file: Path | None = None
    nornir_config: dict[str, Any] = Field(default_factory=dict)

    def resolve(self, path: Path) -> Path:
        base = self.config_file.parent if self.config_file else Path.cwd()
        return path if path.is_absolute() else (base / path)

    def credential(self, which: str) -> str | None:
        """Value of a credential environment variable (``username``, ``password``, ``enable_secret``)."""
        return os.environ.get(getattr(self.credentials, f"{which}_env"))


def find_config(start: Path, name: str = "config.yaml") -> Path | None:
    """The nearest ``name`` in ``start`` or one of its parents (``None`` when there is none), so that govnet
    works from a subfolder of the project. ``--config`` and ``GOVNET_CONFIG`` name the file outright.

    Examples:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     root = Path(tmp)
        ...     _ = (root / "config.yaml").write_text("user_defined: {}")
        ...     (root / "inventory" / "plans").mkdir(parents=True)
        ...     find_config(root / "inventory" / "plans") == root / "config.yaml"
        True
    """
    for folder in (start, *start.parents):
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def load_settings(config_file: str | Path = "config.yaml", inventory_dir: str | Path | None = None) -> Settings:
    """Read config.yaml; ``inventory_dir`` (from ``--inventory``) overrides the configured folder.

    A missing config.yaml is fine when ``--inventory`` is given: defaults apply.
    """
    path = Path(config_file)
    if str(config_file) == "config.yaml" and not path.exists():
        path = find_config(Path.cwd()) or path      # run from a subfolder: the nearest config.yaml above
    raw: dict[str, Any] = {}
    if path.exists():
        try:
            data = read_yaml(path, label=str(path))
        except ReadFailed as exc:
            raise ConfigError(exc.finding.sentence(), code="CFG-002", hint=exc.finding.hint) from exc
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: the top level must be a mapping (Nornir's config)", code="CFG-002")
        raw = data
    elif inventory_dir is None or str(config_file) != "config.yaml":
        raise ConfigError(f"configuration file {path} not found", code="CFG-001",
                          hint="run govnet from the project folder, or pass --config FILE")
    for key in ("user_defined", "inventory"):
        if not isinstance(raw.get(key) or {}, dict):
            raise ConfigError(f"{path}: '{key}' must be a mapping, not {type(raw[key]).__name__}", code="CFG-002",
                              hint="see config.yaml in the project for the shape")
    user = (raw.get("user_defined") or {}).get("govnet") or {}
    if not isinstance(user, dict):
        raise ConfigError(f"{path}: user_defined.govnet must be a mapping", code="CFG-002")
    options = ((raw.get("inventory") or {}).get("options") or {})
    if not isinstance(options, dict):
        raise ConfigError(f"{path}: inventory.options must be a mapping", code="CFG-002")
    if "inventory_dir" in options and "inventory_dir" not in user:
        user = {**user, "inventory_dir": options["inventory_dir"]}
    if inventory_dir is not None:
        user = {**user, "inventory_dir": str(inventory_dir)}
    try:
        settings = Settings.model_validate({**user, "config_file": path.resolve(), "nornir_config": raw})
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        raise ConfigError(f"{path}: user_defined.govnet.{field}: {err['msg']}", code="CFG-002",
                          hint="fix the value in config.yaml") from exc
    return settings
