#!/usr/bin/env bash
# Sets up govnet and runs the main job on the bundled sample network (tỉnh Lai Châu):
# validate the inventory → render intended configs → rehearse on a lab of real FRR routers started with seeded
# drift → back up → compliance (finds the drift, writes remediation) → rollout status and dashboard.
# The lab part needs root (network namespaces); without root it is skipped with a sentence.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
G=.venv/bin/govnet
# Device credentials come only from the environment; the lab creates its login with these.
export GOVNET_USERNAME=${GOVNET_USERNAME:-govnet-demo}
if [ -z "${GOVNET_PASSWORD:-}" ]; then
  GOVNET_PASSWORD=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(16))')
  export GOVNET_PASSWORD
fi
step() { printf '\n== %s\n' "$*"; }
step "govnet inventory validate"; $G inventory validate
step "govnet inventory stats";    $G inventory stats --format json | head -20
step "govnet render";              $G render
if [ "$(id -u)" -eq 0 ]; then
  step "govnet lab up --start-from drifted   (32 FRR routers in network namespaces)"
  $G lab up --start-from drifted
  trap '$G lab down >/dev/null 2>&1 || true' EXIT
  step "govnet backup --lab";      $G backup --lab
  step "govnet compliance --lab   (exit 1 expected: the lab was started with drift)"
  $G compliance --lab || echo "(compliance exit code $?: non-compliant devices found; remediation in build/remediation/)"
  step "govnet lab down";          $G lab down; trap - EXIT
else
  echo "(not root: skipping the lab rehearsal, backup and device compliance)"
  step "govnet compliance --only inventory"; $G compliance --only inventory || true
fi
step "govnet rollout status";      $G rollout status
step "govnet rollout report --out reports/rollout"; $G rollout report --out reports/rollout
echo
echo "Done. Open reports/rollout/dashboard.html and reports/compliance/compliance.html in a browser."
