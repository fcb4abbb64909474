"""One device's deploy, step by step, over a NAPALM driver (any object with NAPALM's methods). No Nornir here:
:mod:`nornir_tasks.tasks.deploy` opens the connection and calls :func:`deploy_device`.

Steps (each written to the journal when it starts and when it ends)::

    prepare    secrets substituted in memory (a missing variable fails here, before any connection)
    reachable  the connection is opened (unreachable / host key changed / login refused: failed)
    backup     the running config is read and kept (the sanitized copy is written for people)
    diff       the intended config is loaded as a replace candidate; NAPALM's compare_config is the change
    push       commit with an automatic revert (the platform's mechanism, see deploy.revert)
    verify     config, interfaces, OSPF, BGP, LLDP and a new login, until they hold or the time is up
    confirm    the commit is confirmed (the revert timer stops)
    revert     any failure after the push: the change is taken back explicitly (or the timer did it)
    check      after a revert: the running config equals the pre-change backup
    done       the device's outcome

A dry run stops after ``diff``. Every text that leaves this module (diffs, errors, journal details) has the
substituted secrets put back as placeholders and the device's own secrets masked.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from contextlib import contextmanager
from typing import Any, Iterator, Literal, Protocol

from pydantic import BaseModel, ConfigDict

from nornir_tasks.deploy.plan import diff_hash
from nornir_tasks.deploy.preview import replace_candidate
from nornir_tasks.deploy.revert import RevertKind, revert_seconds, usable_revert
from nornir_tasks.deploy.secrets import Substituted, substitute
from nornir_tasks.deploy.verify import (
    Check,
    Snapshot,
    compare_snapshots,
    config_check,
    same_config,
    shut_interfaces,
)
from nornir_tasks.errors import DeviceError, GovnetError
from nornir_tasks.model import Platform

logger = logging.getLogger(__name__)

Outcome = Literal["changed", "unchanged", "would_change", "reverted", "failed", "refused", "not_attempted"]


class _M(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DeviceJob(_M):
    """What to do to one device."""

    host: str
    platform: Platform
    intended: str                     # with <secret:ENV> placeholders
    commit: bool = False
    revert: RevertKind = RevertKind.NONE
    revert_needs: str = ""            # what the device's config must hold for ``revert`` to work (IOS: archive)
    allow_no_revert: bool = False
    revert_in: int = 120              # seconds the device waits for the confirmation
    verify_timeout: float = 60.0      # seconds verification may take before the change is taken back
    verify_hold: float = 5.0          # seconds the checks must keep passing after the push
    lldp_peers: tuple[str, ...] | None = None


class DeployResult(_M):
    """One device's outcome: the change (masked), the checks, and what happened to a failed change."""

    host: str
    platform: Platform
    outcome: Outcome
    diff: str = ""
    diff_hash: str = ""
    checks: tuple[Check, ...] = ()
    reverted_by: Literal["explicit", "timer", "driver"] | None = None
    revert_verified: bool | None = None
    revert_detail: str = ""
    backup: str | None = None
    step: str = ""                    # the step that failed
    code: str | None = None
    error: str | None = None


class Recorder(Protocol):
    def __call__(self, step: str, phase: Literal["start", "end"], *, outcome: str = "", diff_hash: str = "",
                 detail: str = "") -> None: ...


class _Failed(Exception):
    """A step failed: carries the coded sentence (already masked)."""

    def __init__(self, step: str, code: str, message: str) -> None:
        super().__init__(message)
        self.step, self.code, self.message = step, code, message


# -- reading state from a device ------------------------------------------------------------------------------
def _ospf_full(data: Any) -> frozenset[str]:
    """``interface>neighbour-id`` of Full OSPF neighbours in FRR's ``show ip ospf neighbor json``.

    Examples:
        >>> sorted(_ospf_full({"neighbors": {"10.0.0.2": [{"nbrState": "Full/-", "ifaceName": "e0:10.0.0.1"}],
        ...                                  "10.0.0.3": [{"nbrState": "Init/-", "ifaceName": "e1:10.0.0.5"}]}}))
        ['e0>10.0.0.2']
    """
    out = set()
    for rid, entries in ((data or {}).get("neighbors") or {}).items():
        for e in entries if isinstance(entries, list) else [entries]:
            if str(e.get("nbrState") or e.get("state") or "").startswith("Full"):
                out.add(f"{str(e.get('ifaceName', '')).split(':')[0]}>{rid}")
    return frozenset(out)


def _bgp_established(data: Any) -> frozenset[str]:
    """Established BGP neighbours in FRR's ``show bgp summary json`` (every address family).

    Examples:
        >>> sorted(_bgp_established({"ipv4Unicast": {"peers": {"10.0.0.1": {"state": "Established"},
        ...                                                      "10.0.0.5": {"state": "Active"}}}}))
        ['10.0.0.1']
    """
    out = set()
    for af in (data or {}).values():
        if isinstance(af, dict):
            for addr, peer in (af.get("peers") or {}).items():
                if isinstance(peer, dict) and peer.get("state") == "Established":
                    out.add(str(addr))
    return frozenset(out)


def _json_cli(drv: Any, command: str) -> Any:
    import json

    text = drv.cli([command]).get(command, "")
    start = text.find("{")
    return json.loads(text[start:]) if start >= 0 else {}


def read_snapshot(drv: Any, platform: Platform, *, lldp: bool = True) -> Snapshot:
    """Interfaces up, OSPF/BGP neighbours and LLDP neighbours, through NAPALM getters (or the JSON show
    commands the platform registry names: ``state_commands``).
    A getter the driver does not implement leaves that part ``None`` (not checked)."""
    fields: dict[str, Any] = {}
    try:
        itfs = drv.get_interfaces()
        fields["interfaces_up"] = frozenset(n for n, d in itfs.items() if d.get("is_up") and d.get("is_enabled"))
    except NotImplementedError:
        pass
    from nornir_tasks.platforms import get

    commands = get(platform).state_commands
    if "ospf_neighbors" in commands:
        fields["ospf_full"] = _ospf_full(_json_cli(drv, commands["ospf_neighbors"]))
    if "bgp_summary" in commands:
        fields["bgp_established"] = _bgp_established(_json_cli(drv, commands["bgp_summary"]))
    else:
        try:
            peers = drv.get_bgp_neighbors()
            fields["bgp_established"] = frozenset(
                f"{vrf}:{addr}" for vrf, body in peers.items() for addr, p in (body.get("peers") or {}).items()
                if p.get("is_up"))
        except NotImplementedError:
            pass
    if lldp:
        try:
            neigh = drv.get_lldp_neighbors()
            fields["lldp"] = frozenset((local, str(n.get("hostname", ""))) for local, ns in neigh.items() for n in ns)
        except NotImplementedError:
            pass
    return Snapshot(**fields)


# -- the steps ------------------------------------------------------------------------------------------------
class _Run:
    def __init__(self, job: DeviceJob, record: Recorder, masker: Callable[[str], str]) -> None:
        self.job = job
        self.record = record
        self.mask = masker
        self.hash = ""

    @contextmanager
    def step(self, name: str, code: str = "DPL-005") -> Iterator[dict[str, str]]:
        """Journal the step's start and end; turn an exception into :class:`_Failed` (masked sentence)."""
        self.record(name, "start", diff_hash=self.hash)
        note: dict[str, str] = {"outcome": "ok", "detail": ""}
        try:
            yield note
        except _Failed as exc:
            self.record(name, "end", outcome="failed", diff_hash=self.hash, detail=exc.message)
            raise
        except GovnetError as exc:
            msg = self.mask(exc.sentence())
            self.record(name, "end", outcome="failed", diff_hash=self.hash, detail=msg)
            raise _Failed(name, exc.code, self.mask(exc.message)) from exc
        except Exception as exc:  # noqa: BLE001 - any driver error becomes this device's failure, as a sentence
            text = str(exc).strip().splitlines()
            msg = self.mask(f"{self.job.host}: {name} failed: {type(exc).__name__}: {text[0] if text else ''}")
            self.record(name, "end", outcome="failed", diff_hash=self.hash, detail=msg)
            raise _Failed(name, code, msg) from exc
        self.record(name, "end", outcome=note["outcome"], diff_hash=self.hash, detail=self.mask(note["detail"]))


def deploy_device(job: DeviceJob, *, connect: Callable[[], Any], fresh_login: Callable[[], None],
                  record: Recorder, save_backup: Callable[[str], str], env: Mapping[str, str],
                  sanitize: Callable[[str], str],
                  sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic,
                  ) -> DeployResult:
    """Run one device's steps. Never raises for a device problem: the outcome says what happened.

    ``connect()`` returns an open NAPALM driver; ``fresh_login()`` opens and closes a new session (the
    management path still works); ``save_backup(text)`` stores the sanitized pre-change config and returns
    where; ``sanitize(text)`` removes the device's secrets from a config (the backup stage's rules).
    """
    sub_holder: list[Substituted] = []

    def masker(text: str) -> str:
        for sub in sub_holder:
            text = sub.mask(text)
        from nornir_tasks.compliance.secrets import mask_secrets

        return mask_secrets(job.platform, text)

    run = _Run(job, record, masker)
    result: dict[str, Any] = {"host": job.host, "platform": job.platform}
    try:
        with run.step("prepare", code="DPL-002"):
            sub_holder.append(substitute(job.intended, job.platform, env, host=job.host))
        sub = sub_holder[0]
        with run.step("reachable", code="DEV-001"):
            drv = connect()
        return _with_driver(job, run, drv, sub, result, fresh_login=fresh_login, save_backup=save_backup,
                            sanitize=lambda text: sanitize(sub.mask(text)), sleep=sleep, clock=clock)
    except _Failed as exc:
        out = DeployResult(**{**result, "outcome": "failed", "step": exc.step, "code": exc.code, "error": exc.message})
        record("done", "end", outcome=out.outcome, diff_hash=run.hash, detail=exc.message)
        return out


def _with_driver(job: DeviceJob, run: _Run, drv: Any, sub: Substituted, result: dict[str, Any], *,
                 fresh_login: Callable[[], None], save_backup: Callable[[str], str], sanitize: Callable[[str], str],
                 sleep: Callable[[float], None], clock: Callable[[], float]) -> DeployResult:
    with run.step("backup", code="DEV-004") as note:
        before = str(drv.get_config(retrieve="running")["running"])
        if not before.strip():
            raise DeviceError(f"{job.host}: the device returned an empty configuration", code="DEV-004",
                              hint="check the account's privileges on the device")
        clean_before = sanitize(before)
        result["backup"] = save_backup(clean_before)
        note["detail"] = f"pre-change backup {result['backup']}"
    with run.step("diff") as note:
        # only what govnet manages changes: sections no compliance feature covers stay as they are
        drv.load_replace_candidate(config=replace_candidate(job.platform, sub.text, before))
        diff = run.mask(str(drv.compare_config() or "")).strip("\n")
        run.hash = diff_hash(diff)
        result.update(diff=diff, diff_hash=run.hash)
        note["outcome"] = "changed" if diff else "unchanged"
        note["detail"] = f"{diff.count(chr(10)) + 1 if diff else 0} line(s) differ"
    if not diff or not job.commit:
        drv.discard_config()
        outcome: Outcome = "unchanged" if not diff else "would_change"
        run.record("done", "end", outcome=outcome, diff_hash=run.hash)
        return DeployResult(**result, outcome=outcome)
    revert, lacking = usable_revert(job.revert, job.revert_needs, before)
    if revert is RevertKind.NONE and not job.allow_no_revert:
        drv.discard_config()
        why = lacking or f"{job.platform.value} has no way to take a change back by itself"
        msg = (f"{job.host}: {why}; not pushed (--allow-no-revert pushes anyway, with an explicit rollback as the "
               "only way back)")
        run.record("done", "end", outcome="refused", diff_hash=run.hash, detail=msg)
        return DeployResult(**result, outcome="refused", step="push", code="DPL-004", error=msg)

    timed = revert is not RevertKind.NONE
    with run.step("snapshot", code="DPL-006"):
        snap_before = read_snapshot(drv, job.platform, lldp=job.lldp_peers is None or bool(job.lldp_peers))
    try:
        with run.step("push", code="DPL-005") as note:
            if timed:
                drv.commit_config(revert_in=revert_seconds(job.platform, job.revert_in))
                note["detail"] = f"committed; reverts by itself in {job.revert_in} s unless confirmed"
            else:
                drv.commit_config()
                note["detail"] = "committed without an automatic revert (--allow-no-revert)"
    except _Failed as exc:
        # the driver took back whatever part got in; prove it
        ok, detail = _check_back(job, run, drv, clean_before, sanitize)
        out = DeployResult(**result, outcome="failed", step="push", code=exc.code, error=exc.message,
                           reverted_by="driver", revert_verified=ok, revert_detail=detail)
        run.record("done", "end", outcome="failed", diff_hash=run.hash, detail=exc.message)
        return out

    checks, failure = _verify(job, run, drv, before, snap_before, fresh_login, sleep, clock)
    result["checks"] = tuple(checks)
    if failure is None:
        try:
            with run.step("confirm", code="DPL-007"):
                if timed:
                    drv.confirm_commit()
            run.record("done", "end", outcome="changed", diff_hash=run.hash)
            return DeployResult(**result, outcome="changed")
        except _Failed as exc:
            failure = exc
    # take it back
    by: Literal["explicit", "timer", "driver"] = "explicit"
    try:
        with run.step("revert", code="DPL-007") as note:
            pending = bool(drv.has_pending_commit()) if timed else True
            if pending:
                drv.rollback()
                note["detail"] = "rolled back explicitly"
            else:
                by = "timer"
                note["detail"] = "the device had already reverted by itself"
    except _Failed as exc:
        out = DeployResult(**result, outcome="failed", step=failure.step, code="DPL-007",
                           error=f"{failure.message}; the revert failed too: {exc.message}", reverted_by=by,
                           revert_verified=False)
        run.record("done", "end", outcome="failed", diff_hash=run.hash, detail=out.error or "")
        return out
    ok, detail = _check_back(job, run, drv, clean_before, sanitize)
    outcome = "reverted" if ok else "failed"
    code = failure.code if ok else "DPL-007"
    error = failure.message if ok else f"{failure.message}; after the revert the config still differs: {detail}"
    run.record("done", "end", outcome=outcome, diff_hash=run.hash, detail=error)
    return DeployResult(**result, outcome=outcome, step=failure.step, code=code, error=error, reverted_by=by,
                        revert_verified=ok, revert_detail=detail)


def _verify(job: DeviceJob, run: _Run, drv: Any, before: str, snap_before: Snapshot,
            fresh_login: Callable[[], None], sleep: Callable[[float], None], clock: Callable[[], float],
            ) -> tuple[list[Check], _Failed | None]:
    """Poll the checks until they all pass and have held for ``verify_hold`` seconds, or time runs out.

    A session that breaks while polling is opened again once (the same driver, so a pending commit stays known
    to it); whether the device can still be reached is the ``reachable`` check's verdict (a new login)."""
    started = clock()
    deadline = started + job.verify_timeout
    interval = 1.0
    shut = shut_interfaces(job.intended)
    checks: list[Check] = []
    passing_since: float | None = None
    login: Check | None = None
    reopened = False
    run.record("verify", "start", diff_hash=run.hash)
    while True:
        try:
            after = str(drv.get_config(retrieve="running")["running"])
            checks = [config_check(job.platform, job.intended, before, after)]
            snap = read_snapshot(drv, job.platform, lldp=job.lldp_peers is None or bool(job.lldp_peers))
            checks += compare_snapshots(snap_before, snap, shut_by_change=shut, lldp_peers=job.lldp_peers)
        except Exception as exc:  # noqa: BLE001 - a broken session: open it again once, else the device is lost
            text = str(exc).strip().splitlines()
            lost = Check(name="reachable", ok=False,
                         detail=run.mask(f"lost the device: {type(exc).__name__}: {text[0] if text else ''}"))
            if reopened:
                checks.append(lost)
                break
            reopened = True
            try:
                drv.open()
                logger.warning("%s: the session broke during verification (%s); opened it again", job.host,
                               lost.detail)
                continue
            except Exception:  # noqa: BLE001 - cannot log in again: that is the verdict
                checks.append(lost)
                break
        if all(c.ok for c in checks):
            if passing_since is None:
                passing_since = clock()
                if login is None:   # a new login over the management path, while the hold runs
                    try:
                        fresh_login()
                        login = Check(name="reachable", ok=True, detail="a new login succeeded")
                    except Exception as exc:  # noqa: BLE001 - not reachable any more: that is the verdict
                        checks.append(Check(name="reachable", ok=False, detail=run.mask(f"new login failed: {exc}")))
                        break
            now = clock()
            if now - passing_since >= job.verify_hold and now - started >= job.verify_hold:
                checks.append(login or Check(name="reachable", ok=True, detail="a new login succeeded"))
                run.record("verify", "end", outcome="ok", diff_hash=run.hash,
                           detail="; ".join(c.detail for c in checks))
                return checks, None
        else:
            passing_since = None
            now = clock()
        if now >= deadline:
            break
        if passing_since is not None:   # passing: look again once the hold is over (a fault in between shows then)
            sleep(max(0.0, min(job.verify_hold - (now - passing_since), deadline - now)))
        else:
            sleep(interval)
    bad = [c for c in checks if not c.ok]
    msg = run.mask(f"{job.host}: verification failed: " + "; ".join(f"{c.name}: {c.detail}" for c in bad))
    run.record("verify", "end", outcome="failed", diff_hash=run.hash, detail=msg)
    return checks, _Failed("verify", "DPL-006", msg)


def _check_back(job: DeviceJob, run: _Run, drv: Any, clean_before: str,
                sanitize: Callable[[str], str]) -> tuple[bool, str]:
    """After a revert: is the running config the pre-change backup again? (a few tries: a timer may be late)"""
    detail = ""
    ok = False
    try:
        with run.step("check", code="DPL-007") as note:
            for attempt in range(5):
                now = sanitize(str(drv.get_config(retrieve="running")["running"]))
                ok, detail = same_config(clean_before, now)
                if ok:
                    break
                time.sleep(1.0 + attempt)
            note["outcome"] = "ok" if ok else "failed"
            note["detail"] = "running config equals the pre-change backup" if ok else f"differs: {detail}"
    except _Failed as exc:
        return False, exc.message
    return ok, "running config equals the pre-change backup" if ok else detail


def failed_result(host: str, platform: Platform, code: str, message: str, outcome: Outcome = "failed",
                  step: str = "") -> DeployResult:
    """A result for a device that never started (locked, refused before connecting, run stopped).

    Examples:
        >>> failed_result("r1", Platform.FRR, "DPL-003", "r1: locked").outcome
        'failed'
    """
    return DeployResult(host=host, platform=platform, outcome=outcome, code=code, error=message, step=step)


__all__ = ["DeployResult", "DeviceJob", "deploy_device", "failed_result", "read_snapshot"]
