"""FRRouting secret forms (as ``show running-config`` prints them), for the masking engine.

See :mod:`nornir_tasks.platforms.masking` for the fields. Sources: the FRR user guide
(https://docs.frrouting.org/en/latest/): basic commands (``password``, ``enable password``), OSPFv2
(``ip ospf authentication-key``, ``ip ospf message-digest-key``), OSPFv3 (``ipv6 ospf6 authentication``), BGP
(``neighbor … password``), IS-IS (``area-password``, ``domain-password``, ``isis password``), RIP
(``ip rip authentication string``, key chains), LDP (``neighbor … password``).
"""

from __future__ import annotations

from nornir_tasks.platforms.masking import SecretEmit, SecretForm, SecretRules

DOCS = "https://docs.frrouting.org/en/latest/"

FORMS: tuple[SecretForm, ...] = (
    SecretForm(what="vty / enable / BGP / LDP / IS-IS circuit password", keyword="password",
               types=("8", "clear|md5"), source=DOCS + "basic.html"),
    SecretForm(what="OSPF / virtual-link authentication key", keyword="authentication-key",
               source=DOCS + "ospfd.html"),
    SecretForm(what="OSPF message-digest key", keyword=r"message-digest-key \d+ md5", source=DOCS + "ospfd.html"),
    SecretForm(what="OSPFv3 authentication key", keyword="key", line=r"\bospf6 authentication\b|^\s*area \S+ authentication\b",
               source=DOCS + "ospf6d.html"),
    SecretForm(what="IS-IS area / domain password", keyword="area-password|domain-password", types=("clear|md5",),
               source=DOCS + "isisd.html"),
    SecretForm(what="RIP authentication string", keyword="authentication string", source=DOCS + "ripd.html"),
    SecretForm(what="key chain key-string", keyword="key-string", source=DOCS + "ripd.html"),
    SecretForm(what="SNMP community (agentx hosts)", keyword="community", context=r"snmp-server\b",
               source=DOCS + "snmp.html"),
)

RULES = SecretRules(forms=FORMS)

#: The FRR templates write no secret (the lab's logins are system users; routing keys are not configured).
EMITS: tuple[SecretEmit, ...] = ()
