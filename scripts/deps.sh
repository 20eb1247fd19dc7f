#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deps.sh [--check] - the Debian 12 packages ktlife needs to build the
# module, build the debug kernel and boot both kernels in QEMU, and for
# the arm64 lane (kernels.sh "arm64"): the cross-compiler and the static
# libc for the selftests and PID 1, qemu-system-aarch64, and qemu-user's
# qemu-aarch64 to list the arm64 busybox's applets on this host. Installs
# the missing ones when run as root (apt-get, non-interactive); otherwise,
# or with --check, names them and exits 1. Silent when nothing is missing.
set -euo pipefail

packages=(
	qemu-system-x86 busybox-static sparse
	linux-source-6.12 linux-headers-amd64 linux-image-amd64
	build-essential flex bison libelf-dev libssl-dev bc cpio kmod
	xz-utils perl python3 rsync
	coccinelle ocaml clang-format clang lld llvm dkms openssl trace-cmd
	graphviz
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm qemu-user
)

check=false
case "${1:-}" in
"") ;;
--check) check=true ;;
*)
	echo "usage: deps.sh [--check]" >&2
	exit 2
	;;
esac

# One dpkg-query for all: it prints nothing for a package it has never
# heard of, hence the set difference rather than a per-package status.
missing()
{
	local installed p

	installed=$(dpkg-query -W -f='${Package} ${Status}\n' \
		"${packages[@]}" 2>/dev/null |
		awk '$NF == "installed" { print $1 }') || true
	for p in "${packages[@]}"; do
		grep -qxF "$p" <<<"$installed" || echo "$p"
	done
}

mapfile -t need < <(missing)
[ ${#need[@]} -eq 0 ] && exit 0

if $check || [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing Debian packages: ${need[*]}" >&2
	echo "deps.sh: install them with:" >&2
	echo "  sudo apt-get install ${need[*]}" >&2
	exit 1
fi

echo "deps.sh: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
apt-get install -y -q --no-install-recommends "${need[@]}" >&2
mapfile -t need < <(missing)
if [ ${#need[@]} -ne 0 ]; then
	echo "deps.sh: still missing after apt-get: ${need[*]}" >&2
	exit 1
fi
