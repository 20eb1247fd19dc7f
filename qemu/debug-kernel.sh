#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# debug-kernel.sh [--llvm|--kcsan|--arm64] [VERSION] - a kernel built from Debian's
# linux-source-VERSION (default 6.12; another series of bookworm, e.g.
# 6.1, is installed on first use, and "7" is the newest 7.x of Debian's
# newer suites, fetched without installing it: see ksrc.sh), configured as
# tinyconfig + the
# fragments of qemu/ and built out of tree with what an external module
# needs: "make -C OBJDIR M=DIR" works, Module.symvers included (without it
# modpost warns, and build-module.sh fails on any warning). Two flavours:
#
#   (default)  the debug kernel that ktlife's selftests run on: gcc,
#              qemu/*.config in name order (base, then debug: KASAN,
#              kmemleak, lockdep, debugobjects, fault injection, ...),
#              then selftests/config (what the tests need);
#              bzImage + Module.symvers. UTS release VERSION.N-ktlife-debug,
#              cached as debug-VERSION-HASH.
#   --kcsan    the data-race kernel: gcc, base.config, then kcsan.config
#              (KCSAN strict, weak-memory modelling, lockdep; no KASAN,
#              which KCSAN excludes), then selftests/config. UTS release
#              VERSION.N-ktlife-kcsan, cached as kcsan-VERSION-HASH.
#   --llvm     a build-only tree to compile ktlife with clang: LLVM=1
#              (Debian's clang, ld.lld, llvm-*), the same fragments plus
#              LOCALVERSION "-ktlife-clang" (so that its module build dir,
#              named by UTS release, is its own); vmlinux + Module.symvers
#              only, no bzImage. Cached as
#              clang-VERSION-HASH. build-module.sh passes LLVM=1 to a tree
#              whose .config has CONFIG_CC_IS_CLANG.
#   --arm64    a kernel for arm64, cross-built with Debian's
#              gcc-aarch64-linux-gnu (ARCH=arm64): arm64.config instead
#              of base.config (which is x86's), then selftests/config, no
#              debug.config (portability, not detection: arm64.config says
#              why); arch/arm64/boot/Image + Module.symvers,
#              booted on QEMU's "virt" machine. UTS release
#              VERSION.N-ktlife-arm64, cached as arm64-VERSION-HASH.
#              build-module.sh cross-builds for a tree whose .config has
#              CONFIG_ARM64.
#
# Every value the fragments set is checked in the final .config (a later
# fragment overrides an earlier one): Kconfig silently drops a symbol
# whose dependencies are not met, and that fails the build. A symbol that
# VERSION's Kconfig does not define at all (an option newer than an older
# series) is skipped with a note, except on 6.12, the series the fragments
# are written for, where it is an error (a typo). The fragments thus stay
# shared by every series.
#
# Built once and cached in $KTLIFE_CACHE/kernels/, HASH covering the
# fragments, the source package version, the compiler and this script.
# Prints the object directory on stdout; a debug kernel's bzImage is
# arch/x86/boot/bzImage in it, the arm64 kernel's arch/arm64/boot/Image.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
self=$top/qemu/debug-kernel.sh
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

usage()
{
	die "usage: debug-kernel.sh [--llvm|--kcsan|--arm64] [VERSION]"
}

# The series whose Kconfig every fragment symbol must exist in.
primary=6.12
flavour=debug
ver=
for arg in "$@"; do
	case "$arg" in
	--llvm) flavour=clang ;;
	--kcsan) flavour=kcsan ;;
	--arm64) flavour=arm64 ;;
	[0-9]*.[0-9]* | 7) [ -z "$ver" ] || usage; ver=$arg ;;
	*) usage ;;
	esac
done
ver=${ver:-$primary}
# Fragments apply in this order, base first, then the flavour's own, then
# what the selftests need, the kselftest way (selftests/config).
case "$flavour" in
kcsan) own=kcsan ;;
*) own=debug ;;
esac
base=base
[ "$flavour" != arm64 ] || base=arm64
fragments=("$top/qemu/$base.config" "$top/qemu/$own.config"
	"$top/selftests/config")
# arm64: portability only, no detectors (see arm64.config).
[ "$flavour" != arm64 ] ||
	fragments=("$top/qemu/arm64.config" "$top/selftests/config")

# A kernel built by another ARCH, compiler or output setting is not ours.
unset ARCH CROSS_COMPILE LLVM CC LD KBUILD_OUTPUT KCONFIG_CONFIG

case "$flavour" in
debug|kcsan)
	make_args=()
	targets=(bzImage modules)
	products=(arch/x86/boot/bzImage Module.symvers)
	compiler=$(gcc --version | head -n 1)
	;;
clang)
	# LLVM=1: clang, ld.lld and llvm-{ar,nm,objcopy,...} unversioned,
	# as Debian's clang, lld and llvm packages install them.
	make_args=(LLVM=1)
	# vmlinux: modpost writes Module.symvers from it; no bzImage.
	targets=(vmlinux modules)
	products=(vmlinux Module.symvers)
	compiler="$(clang --version | head -n 1); $(ld.lld --version)"
	;;
arm64)
	# Set here, after the unset above, on make's command line only.
	make_args=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)
	targets=(Image modules)
	products=(arch/arm64/boot/Image Module.symvers)
	compiler=$(aarch64-linux-gnu-gcc --version | head -n 1)
	;;
esac

"$top/scripts/deps.sh"
src=$("$top/scripts/ksrc.sh" "$ver")
# The tree's name carries its package's version (ksrc.sh): a new upload
# of the source is a new kernel.
pkgver=${src##*/}
# Kbuild warns about external modules built with another compiler than
# the kernel's, so a compiler upgrade means a new kernel.
hash=$(content_hash "${fragments[@]}" "$pkgver" "$self" "$compiler")
kdir=$KTLIFE_CACHE/kernels
name=$flavour-$ver-$hash
obj=$kdir/$name
done_mark=.ktlife-done

# Options an older series defines but cannot enable on x86_64, by series,
# each with its reason; verify_config notes them instead of failing.
#   6.1: FAULT_INJECTION_STACKTRACE_FILTER "depends on !X86_64" there
#        (ktlife_fault_test then skips its insmod sweep).
# The same for arm64, by arm64-SERIES: options of the shared fragments
# that its Kconfig defines but cannot enable there. None on 6.12: every
# symbol of debug.config and selftests/config holds on arm64 (generic
# KASAN included).
declare -A unmet_ok=(
	[6.1]="CONFIG_FAULT_INJECTION_STACKTRACE_FILTER"
	[arm64-6.12]=""
)
arch=x86_64
unmet_key=$ver
if [ "$flavour" = arm64 ]; then
	arch=arm64
	unmet_key=arm64-$ver
fi

# verify_config CONFIG FRAGMENT...: every value a fragment sets (the last
# one, if several set a symbol) must be in the final .config. See above
# for symbols that this kernel's Kconfig does not have.
verify_config()
{
	local config=$1 line sym known now missing=() absent=() unmet=() order=()
	local -A want=()

	shift
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*)
			sym=${line%%=*}
			;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }
			sym=${sym%% *}
			;;
		*) continue ;;
		esac
		[ -n "${want[$sym]+set}" ] || order+=("$sym")
		want[$sym]=$line
	done < <(cat "$@")

	known=$tmp/.ktlife-kconfig-symbols
	grep -rhoE --include='Kconfig*' \
		'^[[:space:]]*(menu)?config[[:space:]]+[A-Za-z0-9_]+' "$src" |
		awk '{ print "CONFIG_" $2 }' | sort -u >"$known"
	for sym in "${order[@]}"; do
		line=${want[$sym]}
		case "$line" in
		"# "*)
			grep -qE "^$sym=[ym]$" "$config" && missing+=("$line")
			;;
		*)
			if grep -qxF -- "$line" "$config"; then
				continue
			elif [ "$ver" != "$primary" ] &&
			     ! grep -qxF -- "$sym" "$known"; then
				absent+=("$sym")
			elif [[ " ${unmet_ok[$unmet_key]:-} " == *" $sym "* ]]; then
				unmet+=("$sym")
			else
				missing+=("$line")
			fi
			;;
		esac
	done
	[ ${#absent[@]} -eq 0 ] ||
		say "not in $ver's Kconfig, skipped: ${absent[*]}"
	[ ${#unmet[@]} -eq 0 ] ||
		say "not available on $arch in $ver, skipped: ${unmet[*]}"
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "debug-kernel: the final .config does not have:" >&2
	for line in "${missing[@]}"; do
		sym=${line#\# }
		sym=${sym%%[= ]*}
		now=$(grep -E "^(# )?${sym}[= ]" "$config") || now=absent
		grep -qxF -- "$sym" "$known" || now="no such option in $ver"
		printf '  %-50s now: %s\n' "$line" "$now" >&2
	done
	return 1
}

# kmake LOG TARGET...: make in the object dir, a progress line every 15 s
# (compiled objects, elapsed time), the log's tail on failure.
kmake()
{
	local log=$1 pid start rc=0 n total

	shift
	total=$(cat "$kdir/.objects-$flavour-$ver" 2>/dev/null || true)
	start=$SECONDS
	make -C "$src" O="$tmp" -j"$(nproc)" "${make_args[@]}" "$@" \
		>>"$log" 2>&1 &
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
	local log=$tmp/ktlife-build.log start=$SECONDS p
	local frags=("${fragments[@]}")

	say "building the $ver $flavour kernel in $obj (a few minutes, once)"
	rm -rf "$tmp"
	mkdir -p "$tmp"
	if [ "$flavour" = clang ]; then
		# Generated, not in qemu/: the debug kernel must not see it.
		echo 'CONFIG_LOCALVERSION="-ktlife-clang"' \
			>"$tmp/.ktlife-clang.config"
		frags+=("$tmp/.ktlife-clang.config")
	fi
	make -C "$src" O="$tmp" "${make_args[@]}" tinyconfig >"$log" 2>&1 ||
		{ tail -n 20 "$log" >&2; die "make tinyconfig failed"; }
	(cd "$tmp" && "$src/scripts/kconfig/merge_config.sh" -m \
		.config "${frags[@]}") >>"$log" 2>&1 ||
		{ tail -n 20 "$log" >&2; die "merge_config.sh failed"; }
	make -C "$src" O="$tmp" "${make_args[@]}" olddefconfig >>"$log" 2>&1 ||
		{ tail -n 20 "$log" >&2; die "make olddefconfig failed"; }
	verify_config "$tmp/.config" "${frags[@]}" ||
		die "options were dropped: fix qemu/*.config or selftests/config (log: $log)"
	kmake "$log" "${targets[@]}"
	for p in "${products[@]}"; do
		[ -f "$tmp/$p" ] || die "the build left no $p (log: $log)"
	done
	grep -c '^  CC' "$log" >"$kdir/.objects-$flavour-$ver" || true
	touch "$tmp/$done_mark"
	mv "$tmp" "$obj"
	# The Makefile that O= leaves names the build directory, which was
	# $tmp; 7.x's Makefile refuses an external module build against an
	# output directory that does not exist.
	sed -i "s|^export KBUILD_OUTPUT = .*|export KBUILD_OUTPUT = $obj|" \
		"$obj/Makefile"
	say "built $obj in $((SECONDS - start)) s"
}

# Old builds of this flavour and VERSION: keep the three newest, they may
# come back.
prune()
{
	local old

	# shellcheck disable=SC2012 # our own names, no odd characters
	ls -1td "$kdir/$flavour-$ver-"* 2>/dev/null | tail -n +4 |
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
