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


#: What each platform offers, as documented by its vendor (used when the registry has no ``revert`` field).
_DOCUMENTED: dict[Platform, RevertKind] = {
    Platform.JUNIPER_JUNOS: RevertKind.NATIVE_COMMIT_CONFIRM,   # commit confirmed N (minutes)
    Platform.ARISTA_EOS: RevertKind.NATIVE_COMMIT_CONFIRM,      # configure session … commit timer hh:mm:ss
    Platform.CISCO_IOS: RevertKind.NATIVE_COMMIT_CONFIRM,       # configure replace … revert trigger timer (archive)
    Platform.HUAWEI_VRP: RevertKind.COMMIT_TRIAL,               # commit trial N (two-stage mode)
    Platform.FRR: RevertKind.EMULATED,                          # napalm_frr revert_in: timer on the device
}

#: NAPALM rounds Junos ``revert_in`` to whole minutes; every platform gets at least this many seconds.
MIN_REVERT_SECONDS = {Platform.JUNIPER_JUNOS: 60}


def revert_kind(platform: Platform | str) -> RevertKind:
    """The platform's revert mechanism: the registry's answer when it has one, else the documented table.

    Examples:
        >>> revert_kind("frr").value, revert_kind("huawei_vrp").value
        ('emulated', 'commit_trial')
    """
    plat = Platform(platform)
    from nornir_tasks import platforms

    getter = getattr(platforms, "get", None)
    if callable(getter):
        spec = getter(plat)
        value = getattr(spec, "revert", None)
        if value is not None:
            return RevertKind(getattr(value, "value", value))
    return _DOCUMENTED.get(plat, RevertKind.NONE)


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
