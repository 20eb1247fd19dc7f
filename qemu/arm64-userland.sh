#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# arm64-userland.sh busybox|trace-cmd - the arm64 binaries from Debian's
# archive that the arm64 VM needs beside our own, fetched once and cached
# in $KTLIFE_CACHE/arm64/:
#
#   busybox    prints the path of busybox-static:arm64's static busybox
#              (qemu/run.sh puts it in the initramfs) and, next to it,
#              busybox.list, its applets (the binary cannot run on the
#              host; qemu-user's qemu-aarch64 lists them once, here)
#   trace-cmd  prints a directory holding trace-cmd:arm64 and, in lib/,
#              every shared library it needs with the dynamic loader, as
#              qemu/stage.sh lays out the host's trace-cmd for x86; exit
#              status 1 (and a warning) if that cannot be had: the trace
#              test then skips
#
# The host's dpkg architectures are never touched: apt runs with a state
# and cache of its own under $KTLIFE_CACHE/arm64/apt, APT::Architecture
# arm64, the host's sources (Debian's archive), an empty dpkg status, and
# only downloads; the packages are unpacked with dpkg-deb -x, never
# installed. The network is needed only on the first call (or after a
# change of this script, part of the cache key).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
self=$top/qemu/arm64-userland.sh
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

what=${1:-}
case "$what" in
busybox|trace-cmd) ;;
*) die "usage: arm64-userland.sh busybox|trace-cmd" ;;
esac

base=$KTLIFE_CACHE/arm64
state=$base/apt
# A new script, a new fetch: what it lays out may have changed.
out=$base/$what-$(content_hash "$self")
apt_opts=(-q -o "Dir::State=$state/state" -o "Dir::State::status=$state/status"
	-o "Dir::Cache=$state/cache" -o APT::Architecture=arm64
	-o APT::Architectures=arm64)

# Once per private apt state: the arm64 package lists.
apt_update()
{
	[ ! -f "$state/.updated" ] || return 0
	mkdir -p "$state/state/lists/partial" "$state/cache/archives/partial"
	: >"$state/status"
	say "fetching Debian's arm64 package lists (once, into $state)"
	apt-get "${apt_opts[@]}" update >"$state/update.log" 2>&1 || {
		tail -n 20 "$state/update.log" >&2
		return 1
	}
	touch "$state/.updated"
}

# fetch DIR PACKAGE...: download the arm64 .debs and unpack them all into
# DIR/root.
fetch()
{
	local dir=$1 deb

	shift
	mkdir -p "$dir/debs" "$dir/root"
	(cd "$dir/debs" && apt-get "${apt_opts[@]}" download "$@") \
		>"$dir/download.log" 2>&1 || {
		tail -n 20 "$dir/download.log" >&2
		return 1
	}
	for deb in "$dir"/debs/*.deb; do
		dpkg-deb -x "$deb" "$dir/root"
	done
}

# in_root ROOT PATH: PATH inside ROOT with its symlinks followed there
# (an absolute link target means ROOT's own /, not the host's).
in_root()
{
	local root=$1 p=$1$2 t n=0

	while [ -L "$p" ] && [ $n -lt 40 ]; do
		t=$(readlink "$p")
		case "$t" in
		/*) p=$root$t ;;
		*) p=$(dirname "$p")/$t ;;
		esac
		n=$((n + 1))
	done
	[ -e "$p" ] && echo "$p"
}

# find_lib ROOT SONAME: the library file for SONAME in ROOT's library
# directories, symlinks followed inside ROOT.
find_lib()
{
	local d

	for d in /lib/aarch64-linux-gnu /usr/lib/aarch64-linux-gnu /lib /usr/lib; do
		[ -e "$1$d/$2" ] || [ -L "$1$d/$2" ] || continue
		in_root "$1" "$d/$2" && return 0
	done
	return 1
}

get_busybox()
{
	local tmp=$1 bb

	apt_update || die "cannot fetch Debian's arm64 package lists"
	fetch "$tmp" busybox-static || die "cannot download busybox-static:arm64"
	bb=$tmp/root/bin/busybox
	readelf -h "$bb" | grep -q 'Machine:.*AArch64' ||
		die "busybox-static:arm64 holds no arm64 busybox"
	case "$(readelf -l "$bb")" in
	*"program interpreter"*) die "busybox-static:arm64's busybox is not static" ;;
	esac
	mkdir -p "$tmp/out"
	cp "$bb" "$tmp/out/busybox"
	qemu-aarch64 "$tmp/out/busybox" --list >"$tmp/out/busybox.list" ||
		die "qemu-aarch64 cannot run the arm64 busybox"
	[ -s "$tmp/out/busybox.list" ] || die "the arm64 busybox lists no applets"
}

get_trace_cmd()
{
	local tmp=$1 root=$1/root pkgs lib f todo=() seen=' ' interp loader

	apt_update || return 1
	# trace-cmd and everything it depends on, recursively (libc6,
	# libtracefs, libtraceevent, libzstd, ...), Depends and Pre-Depends only.
	pkgs=$(apt-cache "${apt_opts[@]}" depends --recurse --no-recommends \
		--no-suggests --no-conflicts --no-breaks --no-replaces \
		--no-enhances trace-cmd | grep -E '^[a-z0-9]' | sort -u) ||
		return 1
	# shellcheck disable=SC2086 # one word per package
	fetch "$tmp" $pkgs || return 1
	mkdir -p "$tmp/out/lib"
	cp "$root/usr/bin/trace-cmd" "$tmp/out/"
	interp=$(readelf -l "$root/usr/bin/trace-cmd" |
		sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
	loader=$(in_root "$root" "$interp") || return 1
	cp "$loader" "$tmp/out/lib/${interp##*/}"
	# The NEEDED closure, what ldd would list on an arm64 machine.
	todo=("$root/usr/bin/trace-cmd")
	while [ ${#todo[@]} -gt 0 ]; do
		f=${todo[0]}
		todo=("${todo[@]:1}")
		for lib in $(readelf -d "$f" |
			sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
			[[ "$seen" == *" $lib "* ]] && continue
			seen+="$lib "
			f=$(find_lib "$root" "$lib") || {
				warn "trace-cmd:arm64 needs $lib, in none of its packages"
				return 1
			}
			cp "$f" "$tmp/out/lib/$lib"
			todo+=("$f")
		done
	done
	# Proof that the set is whole: it runs (user-mode emulated) with
	# nothing but these libraries.
	# (Its --help exits 0 or not by version; what it prints is the proof.)
	qemu-aarch64 "$tmp/out/lib/${interp##*/}" --library-path "$tmp/out/lib" \
		"$tmp/out/trace-cmd" --help >"$tmp/help" 2>&1 || true
	grep -q 'trace-cmd version' "$tmp/help" || {
		warn "the staged arm64 trace-cmd does not run: $(head -n 3 "$tmp/help")"
		return 1
	}
}

if [ ! -f "$out/.done" ]; then
	mkdir -p "$base"
	exec 9>"$base/.lock-$what"
	flock 9
	if [ ! -f "$out/.done" ]; then
		tmp=$(mktemp -d "$base/.fetch-$what.XXXXXX")
		trap 'rm -rf "$tmp"' EXIT
		if [ "$what" = busybox ]; then
			get_busybox "$tmp"
		elif ! get_trace_cmd "$tmp"; then
			warn "no trace-cmd for arm64: the trace test will skip"
			exit 1
		fi
		touch "$tmp/out/.done"
		rm -rf "$out"
		mv "$tmp/out" "$out"
		# Older fetches of this kind are dead weight now.
		for old in "$base/$what"-*; do
			[ "$old" = "$out" ] || rm -rf "$old"
		done
	fi
	exec 9>&-
fi
if [ "$what" = busybox ]; then
	echo "$out/busybox"
else
	echo "$out"
fi
