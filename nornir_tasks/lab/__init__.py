"""The virtual lab: a digital twin of part of the network made of real FRR routers in network namespaces.

- :mod:`nornir_tasks.lab.plan`     — pure planning (routers, interfaces, veth pairs, 127.x addresses, expectations)
- :mod:`nornir_tasks.lab.configs`  — the configs routers start from: intended, baseline, drifted (pure)
- :mod:`nornir_tasks.lab.executor` — runs ip / FRR / lldpd / sshd, records what it created, removes it again
- :mod:`nornir_tasks.lab.build`    — inventory → rendered configs → plan → executor (used by the CLI, tests, bench)

Nothing here imports nornir.
"""
