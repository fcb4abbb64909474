"""Every Jinja filter and global govnet templates may use, registered in one place: netutils'
``jinja2_convenience_function()`` plus ours."""

from __future__ import annotations

import functools
import ipaddress
import unicodedata
from collections.abc import Callable
from typing import Any

from netutils.utils import jinja2_convenience_function

from nornir_tasks.model import check_safe_text, to_ascii

SECRET_MARK = "<secret:{}>"


def secret(env_name: str) -> str:
    """A placeholder for a secret held in an environment variable. Intended configs on disk never hold
    secrets: the deploy stage substitutes them at push time, and compliance compares with secrets masked.

    Examples:
        >>> secret("GOVNET_NETADMIN_HASH")
        '<secret:GOVNET_NETADMIN_HASH>'
    """
    return SECRET_MARK.format(env_name)


def safe(value: Any) -> str:
    """Defence in depth: refuse any value with a newline or control character at render time.

    Examples:
        >>> safe("LAN cán bộ")
        'LAN cán bộ'
    """
    return check_safe_text(str(value))


def ip(value: Any) -> str:
    """Address without prefix length: ``10.0.0.1/30`` → ``10.0.0.1``.

    Examples:
        >>> ip(ipaddress.ip_interface("10.0.0.1/30"))
        '10.0.0.1'
    """
    return str(ipaddress.ip_interface(str(value)).ip)


def netmask(value: Any) -> str:
    """Dotted netmask of an interface or network.

    Examples:
        >>> netmask("10.0.0.1/30")
        '255.255.255.252'
    """
    return str(ipaddress.ip_interface(str(value)).network.netmask)


def wildcard(value: Any) -> str:
    """Wildcard (host) mask of an interface or network.

    Examples:
        >>> wildcard("10.0.0.0/24")
        '0.0.0.255'
    """
    return str(ipaddress.ip_interface(str(value)).network.hostmask)


def prefixlen(value: Any) -> int:
    """Prefix length.

    Examples:
        >>> prefixlen("2001:db8::1/64")
        64
    """
    return ipaddress.ip_interface(str(value)).network.prefixlen


def network(value: Any) -> str:
    """Network of an interface address, with prefix length.

    Examples:
        >>> network("10.12.0.5/30")
        '10.12.0.4/30'
    """
    return str(ipaddress.ip_interface(str(value)).network)


def ascii_text(value: Any) -> str:
    """Vietnamese text without diacritics, for platforms whose CLI takes ASCII only (IOS banners).

    Examples:
        >>> ascii_text("CẢNH BÁO: Đảng ủy xã Bình Lư")
        'CANH BAO: Dang uy xa Binh Lu'
    """
    return _ascii_text(str(value))


@functools.lru_cache(maxsize=65536)
def _ascii_text(value: str) -> str:   # cached: the same banner and descriptions recur on thousands of hosts
    # never '?' for a character without an ASCII form: on IOS and VRP '?' is the CLI's context-help key
    return to_ascii(check_safe_text(value))


def quote(value: Any) -> str:
    """A double-quoted string with ``"`` and ``\\`` escaped (Junos, EOS and Huawei strings).

    Examples:
        >>> print(quote('LAN "cán bộ"'))
        "LAN \\"cán bộ\\""
    """
    text = check_safe_text(str(value))
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def frr_ifname_cmp(a: str, b: str) -> int:
    """FRR's ``if_cmp_name_func``: the order zebra keeps (and prints) interfaces in.

    Letters compare as text when the letter runs differ in length, numbers compare as numbers.

    Examples:
        >>> sorted(["eth10", "e2", "eth1.30", "eth1", "e10", "lo"], key=functools.cmp_to_key(frr_ifname_cmp))
        ['e2', 'e10', 'eth1', 'eth1.30', 'eth10', 'lo']
    """
    i = j = 0
    while i < len(a) and j < len(b):
        l1 = _alpha_run(a, i)
        l2 = _alpha_run(b, j)
        if l1 != l2:
            return (a[i:] > b[j:]) - (a[i:] < b[j:])
        pa, pb = a[i:i + l1], b[j:j + l2]
        if pa != pb:
            return (pa > pb) - (pa < pb)
        i += l1
        j += l2
        if i == len(a) and j == len(b):
            return 0
        if i == len(a):
            return -1
        if j == len(b):
            return 1
        n1, i = _number(a, i)
        n2, j = _number(b, j)
        if n1 != n2:
            return -1 if n1 < n2 else 1
    if i < len(a):
        return 1
    if j < len(b):
        return -1
    return 0


def _alpha_run(text: str, start: int) -> int:
    end = start
    while end < len(text) and not text[end].isdigit():
        end += 1
    return end - start


def _number(text: str, start: int) -> tuple[int, int]:
    end = start
    while end < len(text) and text[end].isdigit():
        end += 1
    return int(text[start:end]), end


def frr_ifsort(interfaces: Any, lab: bool = False) -> list[Any]:
    """Interface views in FRR's order, by their lab name in the lab, else by name."""
    def name(v: Any) -> str:
        return str(v.lab_name if lab else v.name)

    return sorted(interfaces, key=functools.cmp_to_key(lambda x, y: frr_ifname_cmp(name(x), name(y))))


def close_views(text: str, exit_word: str = "quit") -> str:
    """Close every view with ``exit_word`` (see :func:`nornir_tasks.platforms.checks.close_views`)."""
    from nornir_tasks.platforms.checks import close_views as close

    return close(text, exit_word)


def banner_delimiter(text: str) -> str:
    """A banner delimiter the text does not contain (see :func:`nornir_tasks.platforms.cisco_ios.checks.banner_delimiter`)."""
    from nornir_tasks.platforms.cisco_ios.checks import banner_delimiter as pick

    return pick(text)


def registry() -> dict[str, Callable[..., Any]]:
    """All filters (netutils' convenience functions first, ours override on a name clash)."""
    out: dict[str, Callable[..., Any]] = dict(jinja2_convenience_function())
    out.update({"secret": secret, "safe_text": safe, "ip": ip, "netmask": netmask, "wildcard": wildcard,
                "prefixlen": prefixlen, "network": network, "ascii_text": ascii_text, "quote": quote,
                "frr_ifsort": frr_ifsort, "close_views": close_views, "banner_delimiter": banner_delimiter})
    return out


def globals_() -> dict[str, Callable[..., Any]]:
    from nornir_tasks.render.context import loopback_views

    return {"secret": secret, "loopback_views": loopback_views}
