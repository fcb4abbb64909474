#!/usr/bin/env bash
# Sets up govnet and runs the main job on the bundled sample network (tỉnh Lai Châu).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
G=.venv/bin/govnet
$G inventory validate
$G inventory stats
