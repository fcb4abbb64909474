"""Playbooks: govnet's stages composed into repeatable procedures (``govnet play FILE``).

- :mod:`.model` — the playbook file (pydantic, unknown keys refused), validated whole before the first step runs;
- :mod:`.when` — the per-host ``when:`` conditions over earlier steps' results (a small, safe expression language);
- :mod:`.run` — the runner: steps in order, per-host conditions, failure policy, journal and ``--resume``.
"""
