#!/usr/bin/env bash
# Installs everything govnet and its tests need on a fresh Debian 12 machine (run as root), idempotently:
# Debian packages for the FRR lab and the browser test, then a virtual environment with govnet in it.
set -euo pipefail
cd "$(dirname "$0")/.."
APT_PACKAGES=(frr frr-pythontools openssh-server lldpd sudo iproute2 iputils-ping chromium chromium-driver git)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing Debian packages (${missing[*]}); run as root or: sudo apt-get install -y ${missing[*]}" >&2
    exit 2
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
if ! .venv/bin/python -m pip install -q -e ".[test]" > .venv/pip-install.log 2>&1; then
  cat .venv/pip-install.log >&2
  echo "setup: pip install failed (log above, also in .venv/pip-install.log)" >&2
  exit 1
fi
.venv/bin/python -c "import nornir_tasks, napalm, nornir, hier_config" 
echo "setup: ok ($(.venv/bin/python --version))"
