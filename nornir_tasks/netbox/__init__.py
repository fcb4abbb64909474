"""NetBox as govnet's source of truth: the mapping (``mapping``), custom fields and tags (``schema``), the REST
client (``client``), push/pull (``sync``) and the Nornir inventory plugin (``plugin``).

``mapping`` and ``schema`` are pure (no network, no nornir); the docs table is ``docs/netbox.md``.
"""
