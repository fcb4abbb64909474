"""How each platform takes a change back when it is not confirmed — read from the platform registry.

The registry (:mod:`nornir_tasks.platforms`) names each platform's mechanism; this module turns it into what
the deploy stage needs: whether a timed, self-reverting commit is available, and how NAPALM is asked for it.

| mechanism                 | platforms       | how the deploy stage uses it                                    |
|---------------------------|-----------------|-----------------------------------------------------------------|
| ``native_commit_confirm`` | junos, eos, ios | NAPALM ``commit_config(revert_in=N)``, then ``confirm_commit()`` |
| ``commit_trial``          | huawei_vrp      | ``commit trial N`` / ``commit`` (our netmiko driver)            |
| ``emulated``              | frr             | napalm_frr ``commit_config(revert_in=N)``: a timer on the device |
| ``none``                  | —               | refused unless ``--allow-no-revert``; rollback file pushed      |
"""

from __future__ import annotations

from enum import Enum

from nornir_tasks.model import Platform


class RevertKind(str, Enum):
    """The same names as the registry's ``Revert`` (stored by value, never by position)."""

    NATIVE_COMMIT_CONFIRM = "native_commit_confirm"
    COMMIT_TRIAL = "commit_trial"
    EMULATED = "emulated"
    NONE = "none"


#: NAPALM rounds Junos ``revert_in`` to whole minutes; every platform gets at least this many seconds.
MIN_REVERT_SECONDS = {Platform.JUNIPER_JUNOS: 60}


def revert_kind(platform: Platform | str) -> RevertKind:
    """The platform's revert mechanism, from the platform registry.

    Examples:
        >>> revert_kind("frr").value, revert_kind("huawei_vrp").value
        ('emulated', 'commit_trial')
    """
    from nornir_tasks.platforms import get

    return RevertKind(get(platform).revert.value)


def revert_seconds(platform: Platform | str, wanted: int) -> int:
    """The ``revert_in`` to ask for: at least the platform's minimum, and a whole number of minutes where the
    device counts in minutes.

    Examples:
        >>> revert_seconds("juniper_junos", 90), revert_seconds("frr", 90)
        (120, 90)
    """
    plat = Platform(platform)
    low = MIN_REVERT_SECONDS.get(plat, 1)
    seconds = max(low, int(wanted))
    if plat in MIN_REVERT_SECONDS:
        seconds = -(-seconds // 60) * 60
    return seconds


def usable_revert(kind: RevertKind, needs: str, running: str) -> tuple[RevertKind, str]:
    """The revert mechanism a device really has: the platform's, unless the device lacks what it needs
    (``revert_needs`` in the registry, e.g. IOS ``archive``: checked in the pre-change running config).

    Examples:
        >>> usable_revert(RevertKind.NATIVE_COMMIT_CONFIRM, "archive", "hostname r1\\narchive\\n path flash:a\\n")[0].value
        'native_commit_confirm'
        >>> k, why = usable_revert(RevertKind.NATIVE_COMMIT_CONFIRM, "archive", "hostname r1\\n")
        >>> k.value, why
        ('none', "the device's config has no 'archive' section, which its revert mechanism needs")
    """
    if not needs or kind is RevertKind.NONE:
        return kind, ""
    if any(line.startswith(needs) for line in running.splitlines()):
        return kind, ""
    return RevertKind.NONE, f"the device's config has no {needs!r} section, which its revert mechanism needs"
