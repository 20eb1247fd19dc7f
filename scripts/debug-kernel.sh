#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# debug-kernel.sh [VERSION] - the debug kernel that ktlife's selftests run
# on: Debian's linux-source-VERSION (default 6.12, see ksrc.sh) configured
# as tinyconfig + qemu/*.config (KASAN, kmemleak, lockdep, debugobjects,
# fault injection, ...) and built out of tree, with what an external
# module needs ("make -C OBJDIR M=DIR" works). Built once and cached in
# $KTLIFE_CACHE/kernels/debug-VERSION-HASH, HASH covering the fragments,
# the source package version, the compiler and this script. Prints the
# object directory on stdout; its bzImage is arch/x86/boot/bzImage.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
self=$top/scripts/debug-kernel.sh
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

[ $# -le 1 ] || die "usage: debug-kernel.sh [VERSION]"
ver=${1:-6.12}
# Fragments apply in name order: base before debug.
fragments=("$top"/qemu/*.config)

# A kernel built by another ARCH, compiler or output setting is not ours.
unset ARCH CROSS_COMPILE LLVM KBUILD_OUTPUT KCONFIG_CONFIG

"$top/scripts/deps.sh"
src=$("$top/scripts/ksrc.sh" "$ver")
pkgver=$(dpkg-query -W -f='${Version}' "linux-source-$ver")
# Kbuild warns about external modules built with another compiler than
# the kernel's, so a compiler upgrade means a new kernel.
hash=$(content_hash "${fragments[@]}" "$pkgver" "$self" \
	"$(gcc --version | head -n 1)")
kdir=$KTLIFE_CACHE/kernels
name=debug-$ver-$hash
obj=$kdir/$name
done_mark=.ktlife-done

# verify_config CONFIG FRAGMENT...: every value a fragment sets must be in
# the final .config: Kconfig silently drops a symbol whose dependencies
# are not met, and that must not go unnoticed.
verify_config()
{
	local config=$1 line sym missing=()

	shift
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*)
			grep -qxF -- "$line" "$config" || missing+=("$line")
			;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }
			sym=${sym%% *}
			grep -qE "^$sym=[ym]$" "$config" && missing+=("$line")
			;;
		esac
	done < <(cat "$@")
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "debug-kernel: the final .config does not have:" >&2
	for line in "${missing[@]}"; do
		sym=${line#\# }
		sym=${sym%%[= ]*}
		printf '  %-50s now: %s\n' "$line" \
			"$(grep -E "^(# )?${sym}[= ]" "$config" || echo absent)" >&2
	done
	return 1
}

# kmake LOG TARGET...: make in the object dir, a progress line every 15 s
# (compiled objects, elapsed time), the log's tail on failure.
kmake()
{
	local log=$1 pid start rc=0 n total

	shift
	total=$(cat "$kdir/.objects-$ver" 2>/dev/null || true)
	start=$SECONDS
	make -C "$src" O="$tmp" -j"$(nproc)" "$@" >>"$log" 2>&1 &
	pid=$!
	while ! wait_for "$pid" 15; do
		n=$(grep -c '^  CC' "$log" || true)
		say "building: $n${total:+ of ~$total} objects compiled, $((SECONDS - start)) s"
	done
	wait "$pid" || rc=$?
	if [ "$rc" -ne 0 ]; then
		tail -n 40 "$log" >&2
		die "make $* failed (full log: $log)"
	fi
}

# wait_for PID SECONDS: true once PID has exited, false after SECONDS.
wait_for()
{
	local i

	for ((i = 0; i < $2; i++)); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 1
	done
	! kill -0 "$1" 2>/dev/null
}

build()
{
	local log=$tmp/ktlife-build.log start=$SECONDS

	say "building the $ver debug kernel in $obj (a few minutes, once)"
	rm -rf "$tmp"
	mkdir -p "$tmp"
	make -C "$src" O="$tmp" tinyconfig >"$log" 2>&1 ||
		{ tail -n 20 "$log" >&2; die "make tinyconfig failed"; }
	(cd "$tmp" && "$src/scripts/kconfig/merge_config.sh" -m \
		.config "${fragments[@]}") >>"$log" 2>&1 ||
		{ tail -n 20 "$log" >&2; die "merge_config.sh failed"; }
	make -C "$src" O="$tmp" olddefconfig >>"$log" 2>&1 ||
		{ tail -n 20 "$log" >&2; die "make olddefconfig failed"; }
	verify_config "$tmp/.config" "${fragments[@]}" ||
		die "options were dropped: fix qemu/*.config (log: $log)"
	# "modules" also writes Module.symvers, without which modpost warns
	# about every symbol an external module uses.
	kmake "$log" bzImage modules
	if [ ! -f "$tmp/arch/x86/boot/bzImage" ] ||
	   [ ! -f "$tmp/Module.symvers" ]; then
		die "the build left no bzImage or Module.symvers"
	fi
	grep -c '^  CC' "$log" >"$kdir/.objects-$ver" || true
	touch "$tmp/$done_mark"
	mv "$tmp" "$obj"
	say "built $obj in $((SECONDS - start)) s"
}

# Old builds of this VERSION: keep the three newest, they may come back.
prune()
{
	local old

	# shellcheck disable=SC2012 # our own names, no odd characters
	ls -1td "$kdir/debug-$ver-"* 2>/dev/null | tail -n +4 |
		while IFS= read -r old; do
			[ "$old" = "$obj" ] || rm -rf "$old"
		done
}

if [ ! -f "$obj/$done_mark" ]; then
	mkdir -p "$kdir"
	# One build at a time; a second caller waits and then finds it done.
	exec 9>"$kdir/.lock-$name"
	flock -n 9 || {
		say "waiting for another build of $name"
		flock 9
	}
	if [ ! -f "$obj/$done_mark" ]; then
		tmp=$kdir/.build-$name
		rm -rf "$obj"
		build
		prune
	fi
	exec 9>&-
fi
echo "$obj"
