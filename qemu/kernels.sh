# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
#
# kernels.sh - sourced: the kernels ktlife is tested on, by name.
#   stock      Debian's linux-image-amd64 (6.1), module built against its
#              headers (linux-headers-amd64)
#   debug      the newest 7.x that Debian's archive offers
#              (linux-source-7.*, trixie-backports or unstable, fetched by
#              scripts/ksrc.sh 7) with qemu/*.config (KASAN, kmemleak,
#              lockdep, ...), built and cached by qemu/debug-kernel.sh:
#              the kernel learners run now, with every detector
#   debug-V    the same debug kernel from linux-source-V, e.g. debug-6.12
#              (Debian 13's LTS) or debug-6.1 (Debian 12 ships both,
#              installed on first use); the fragments are shared, see
#              debug-kernel.sh
#   kcsan      6.12 from linux-source-6.12 with base.config and
#              kcsan.config (KCSAN strict, lockdep; KASAN excluded), built
#              and cached by qemu/debug-kernel.sh --kcsan; make check boots
#              it with the concurrency tests only
#   clang      build only, never booted: 6.12 built with LLVM=1 (Debian's
#              clang/lld/llvm) and the same fragments, for a W=1 + sparse
#              build of ktlife with clang (debug-kernel.sh --llvm);
#              clang-V builds it from linux-source-V
#   arm64      6.12 from linux-source-6.12 for arm64, cross-built with
#              Debian's gcc-aarch64-linux-gnu: arm64.config (instead of
#              base.config) and selftests/config, no detectors (the lane is
#              for portability), built and cached by qemu/debug-kernel.sh
#              --arm64; boots on qemu-system-aarch64 -M virt under TCG
#              (qemu/run.sh)
# kernel_resolve NAME sets KDIR (to build the module against) and IMAGE
# (to boot; empty for a build-only kernel); the rest name where each
# kernel's build output goes.

KTLIFE_BUILD=${KTLIFE_BUILD:-$top/build}
# The arm64 selftests' lib.mk OUTPUT (selftests/Makefile ARCH=arm64):
# x86 binaries stay in selftests/, arm64 ones here.
SELFTESTS_ARM64=$KTLIFE_BUILD/selftests-arm64

kernel_resolve()
{
	local kver obj ver

	case "$1" in
	stock)
		kver=$(stock_kernel_version) || return 1
		KDIR=/lib/modules/$kver/build
		IMAGE=/boot/vmlinuz-$kver
		;;
	debug|debug-[0-9]*.[0-9]*|debug-7)
		ver=${1#debug}
		ver=${ver#-}
		obj=$("$top/qemu/debug-kernel.sh" "${ver:-7}") || return 1
		KDIR=$obj
		IMAGE=$obj/arch/x86/boot/bzImage
		;;
	kcsan|kcsan-[0-9]*.[0-9]*)
		ver=${1#kcsan}
		ver=${ver#-}
		obj=$("$top/qemu/debug-kernel.sh" --kcsan ${ver:+"$ver"}) ||
			return 1
		KDIR=$obj
		IMAGE=$obj/arch/x86/boot/bzImage
		;;
	arm64)
		obj=$("$top/qemu/debug-kernel.sh" --arm64) || return 1
		KDIR=$obj
		IMAGE=$obj/arch/arm64/boot/Image
		;;
	clang|clang-[0-9]*.[0-9]*)
		ver=${1#clang}
		ver=${ver#-}
		obj=$("$top/qemu/debug-kernel.sh" --llvm ${ver:+"$ver"}) ||
			return 1
		KDIR=$obj
		IMAGE=
		;;
	*)
		echo "unknown kernel '$1' (stock, debug, debug-6.12, debug-6.1, kcsan, clang, arm64)" >&2
		return 1
		;;
	esac
}

# The architecture a module (or any ELF file) was built for: arm64 or
# x86_64, what stage.sh and vm.sh choose the payload's binaries by.
ko_arch()
{
	case "$(readelf -h "$1" 2>/dev/null)" in
	*"Machine:"*AArch64*) echo arm64 ;;
	*) echo x86_64 ;;
	esac
}

# A short name for a build tree: its UTS release, e.g. 6.1.0-56-amd64.
kernel_tag()
{
	sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' \
		"$1/include/generated/utsrelease.h"
}

# Where ktlife.ko for the build tree $1 is built.
module_dir()
{
	echo "$KTLIFE_BUILD/$(kernel_tag "$1")"
}
