"""Safe provisioning (``govnet deploy``): the pure core. Nothing here imports nornir.

- :mod:`nornir_tasks.deploy.plan`     — option amounts (``N`` or ``P%``), the management topology, waves
  (canary first, grouped by province, far end first, never a device with one its management path needs)
- :mod:`nornir_tasks.deploy.secrets`  — ``<secret:ENV>`` substitution at push time, in memory only
- :mod:`nornir_tasks.deploy.journal`  — the run journal and the per-device lock in the SQLite store
- :mod:`nornir_tasks.deploy.verify`   — the checks after a push (config, interfaces, adjacencies, LLDP)
- :mod:`nornir_tasks.deploy.revert`   — how each platform takes a change back (from the platform registry)
- :mod:`nornir_tasks.deploy.preview`  — the change offline (``govnet render --diff``) and the replace candidate
- :mod:`nornir_tasks.deploy.device`   — one device's steps over a NAPALM driver (no Nornir)
- :mod:`nornir_tasks.deploy.stage`    — :class:`~nornir_tasks.deploy.stage.DeployStage`: waves, stop rules,
  Ctrl-C, the report
"""
