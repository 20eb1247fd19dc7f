# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# lib.sh - sourced by the host-side scripts of scripts/ and qemu/: where the
# cache lives (KTLIFE_CACHE: extracted kernel source, debug kernels, the
# built init, console logs, the KVM probe result), how to talk to the user
# (say/warn/die, all on stderr so that stdout stays for results such as a
# path), and which Debian stock kernel to build and boot against.

KTLIFE_CACHE=${KTLIFE_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/ktlife}

say()
{
	echo "${0##*/}: $*" >&2
}

warn()
{
	echo "${0##*/}: warning: $*" >&2
}

die()
{
	echo "${0##*/}: error: $*" >&2
	exit 1
}

# The newest Debian stock kernel that can be both booted (/boot/vmlinuz-*)
# and built against (/lib/modules/*/build, from linux-headers-amd64).
stock_kernel_version()
{
	local d v best=

	for d in /lib/modules/*-amd64; do
		v=${d##*/}
		if [ ! -d "$d/build" ] || [ ! -f "/boot/vmlinuz-$v" ]; then
			continue
		fi
		best=$(printf '%s\n%s\n' "$best" "$v" | sort -V | tail -n 1)
	done
	[ -n "$best" ] || {
		echo "no stock kernel with headers (run scripts/deps.sh)" >&2
		return 1
	}
	echo "$best"
}

# A short content hash of the files and strings given, for cache keys.
content_hash()
{
	local x

	for x in "$@"; do
		if [ -f "$x" ]; then
			sha256sum <"$x"
		else
			printf '%s\n' "$x" | sha256sum
		fi
	done | sha256sum | cut -c1-12
}
