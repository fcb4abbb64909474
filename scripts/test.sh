#!/usr/bin/env bash
# Runs the whole test suite (unit, task and integration tiers). Integration tests build real FRR routers in
# network namespaces and need root; they are part of the suite, not optional.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m pytest -q "$@"
