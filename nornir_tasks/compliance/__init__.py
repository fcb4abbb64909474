"""Compliance: is each device configured as intended and as the national baseline requires?

Pure core, no nornir: ``features`` (per-platform feature table), ``check`` (intended vs running per feature,
hier_config remediation over the differing sections), ``vrp`` (hier_config driver for Huawei VRP),
``secrets`` (masking before comparing), ``baseline`` (versioned rules with grace periods, overlays),
``inventory_rules`` (named checks over the model), ``waivers`` (the waiver register), ``run`` (one run: a state
per device, see its docstring for the precedence), ``remediation`` (files for the deploy stage), ``summary``
(aggregates), ``store`` (SQLite snapshots), ``import_bundle`` (configs collected by hand), ``sources`` (where
the CLI reads backups and intended configs).
"""
