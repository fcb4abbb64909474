"""Backup stage (pure part): secret and volatile-line removal (:mod:`.sanitize`) and the store of backups with
its git history (:mod:`.store`). The Nornir task that collects configs is :mod:`nornir_tasks.tasks.backup`."""
