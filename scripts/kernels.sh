# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
#
# kernels.sh - sourced: the kernels ktlife is tested on, by name.
#   stock  Debian's linux-image-amd64, module built against its headers
#   debug  6.12 from linux-source-6.12 with qemu/*.config (KASAN, kmemleak,
#          lockdep, ...), built and cached by scripts/debug-kernel.sh
# kernel_resolve NAME sets KDIR (to build the module against) and IMAGE
# (to boot); the rest name where each kernel's build output goes.

KTLIFE_BUILD=${KTLIFE_BUILD:-$top/build}

kernel_resolve()
{
	local kver obj

	case "$1" in
	stock)
		kver=$(stock_kernel_version) || return 1
		KDIR=/lib/modules/$kver/build
		IMAGE=/boot/vmlinuz-$kver
		;;
	debug)
		obj=$("$top/scripts/debug-kernel.sh" 6.12) || return 1
		KDIR=$obj
		IMAGE=$obj/arch/x86/boot/bzImage
		;;
	*)
		echo "unknown kernel '$1' (stock, debug)" >&2
		return 1
		;;
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
