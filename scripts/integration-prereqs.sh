#!/usr/bin/env bash
# Debian packages `npm run test:integration` needs: a Slurm cluster to start (slurm-wlm, munge) and
# real datasets (dataset-fashion-mnist at /usr/share/datasets/fashion-mnist). Installs the missing
# ones with apt when run as root; otherwise prints the command and fails.
set -euo pipefail
packages=(slurm-wlm munge dataset-fashion-mnist)
need=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
done
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "integration tests need Debian packages: sudo apt-get install -y ${need[*]}" >&2
  exit 2
fi
echo "integration prerequisites: apt-get install ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Install without starting services: the tests start their own daemons and stop them by pid.
policy=/usr/sbin/policy-rc.d
added_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && added_policy=1
fi
trap '[ "$added_policy" = 1 ] && rm -f "$policy"' EXIT
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 || {
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
}
