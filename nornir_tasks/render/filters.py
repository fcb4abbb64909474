"""Every Jinja filter and global govnet templates may use, registered in one place: netutils'
``jinja2_convenience_function()`` plus ours."""

from __future__ import annotations

import ipaddress
import unicodedata
from typing import Any, Callable

from netutils.utils import jinja2_convenience_function

from nornir_tasks.model import check_safe_text

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
    text = check_safe_text(str(value)).replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).encode("ascii", "replace").decode()


def quote(value: Any) -> str:
    """A double-quoted string with ``"`` and ``\\`` escaped (Junos, EOS and Huawei strings).

    Examples:
        >>> print(quote('LAN "cán bộ"'))
        "LAN \\"cán bộ\\""
    """
    text = check_safe_text(str(value))
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def registry() -> dict[str, Callable[..., Any]]:
    """All filters (netutils' convenience functions first, ours override on a name clash)."""
    out: dict[str, Callable[..., Any]] = dict(jinja2_convenience_function())
    out.update({"secret": secret, "safe_text": safe, "ip": ip, "netmask": netmask, "wildcard": wildcard,
                "prefixlen": prefixlen, "network": network, "ascii_text": ascii_text, "quote": quote})
    return out


def globals_() -> dict[str, Callable[..., Any]]:
    return {"secret": secret}
