#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deps.sh - install the Debian packages ktlife needs, if any is missing.
# As root it runs apt-get; otherwise it names the command to run. Quiet
# when everything is there.
set -euo pipefail

packages=(
	build-essential bc bison flex libelf-dev libssl-dev cpio kmod xz-utils
	perl python3 rsync sparse
	qemu-system-x86 busybox-static
	linux-image-amd64 linux-headers-amd64 linux-source-6.12
)

missing=()
for pkg in "${packages[@]}"; do
	dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null |
		grep -qx installed || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "ktlife: missing Debian packages: ${missing[*]}" >&2
	echo "ktlife: run: sudo apt-get install -y ${missing[*]}" >&2
	exit 1
fi
echo "ktlife: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
