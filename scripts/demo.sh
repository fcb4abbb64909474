#!/usr/bin/env bash
# Sets up govnet and runs the main job on the bundled sample network (tỉnh Lai Châu):
# build a lab of real FRR routers started with seeded drift, run playbooks/audit.yaml on it (validate → render →
# backup → compliance → rollout status → report), then playbooks/provision-commune.yaml in check mode (what a
# deploy would change, in waves, without touching a router), and print where the reports are.
# The lab needs root (network namespaces); without it the job says so and still writes the inventory, render
# and rollout parts. Nothing here ever connects to a real device: every device step runs with --lab.
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
step "govnet render";              $G render
if [ "$(id -u)" -eq 0 ]; then
  step "govnet lab up --start-from drifted   (32 FRR routers in network namespaces)"
  $G lab up --start-from drifted
  trap '$G lab down >/dev/null 2>&1 || true' EXIT
  step "govnet play playbooks/audit.yaml --lab   (exit 1 expected: the lab was started with drift)"
  $G play playbooks/audit.yaml --lab || echo "(exit code $?: drift found; remediation in build/remediation/)"
  step "govnet play playbooks/provision-commune.yaml --lab   (check mode: shows the change, touches nothing)"
  $G play playbooks/provision-commune.yaml --lab || echo "(exit code $?: see the report)"
  step "govnet lab down";          $G lab down; trap - EXIT
  R=reports/lab   # a --lab rehearsal keeps its state and reports apart from production's
else
  echo "The lab needs root (network namespaces), so the device steps are left out; inventory, render and rollout reports follow."
  step "govnet compliance --only inventory"; $G compliance --only inventory || true
  step "govnet rollout status";    $G rollout status || true
  step "govnet rollout report --out reports/rollout"; $G rollout report --out reports/rollout
  R=reports
fi
echo
echo "Done. Reports: $R/playbooks/ (each playbook run), $R/rollout/dashboard.html, $R/compliance/compliance.html"
