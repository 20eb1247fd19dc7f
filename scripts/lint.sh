#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lint.sh [KDIR...] - the static half of "make check", one TAP line per
# check: checkpatch --strict on the kernel code, kernel-doc on every
# non-static function, checkpatch on the
# selftests (userspace C, where <stdint.h> types are right), clang-format
# with the kernel's .clang-format on the kernel code (format-check.sh),
# the kernel's coccicheck on module/ (coccicheck.sh, about 45 s), and a
# W=1 + sparse build against each KDIR (default: Debian's stock headers),
# which leaves the ktlife.ko that the VM tests then load (see module_dir).
# The tools and rules come from the extracted Debian kernel source, at run
# time.
# Exit status: the number of failed checks (0: all clean).
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"
# shellcheck source=scripts/kernels.sh
. "$top/scripts/kernels.sh"

src=$("$top/scripts/ksrc.sh" 6.12) || die "no kernel source"
out=${KTLIFE_BUILD:-$top/build}/lint
mkdir -p "$out"
failed=0
n=0

# check NAME LOG CMD...: run CMD, print one TAP line, the log on failure.
check()
{
	local name=$1 log=$2

	shift 2
	n=$((n + 1))
	if "$@" >"$log" 2>&1; then
		echo "ok $n lint: $name"
	else
		echo "not ok $n lint: $name"
		sed 's/^/# /' "$log"
		failed=$((failed + 1))
	fi
}

checkpatch()
{
	"$src/scripts/checkpatch.pl" --no-tree --show-types --quiet -f "$@"
}

cd "$top" || exit 1
check "checkpatch --strict (module/, Kbuild)" "$out/checkpatch-module.log" \
	checkpatch --strict module/*.[ch] Kbuild
check "kernel-doc on every non-static function (module/)" \
	"$out/kernel-doc.log" "$top/scripts/kdoc-check.sh" "$src" module/*.c
check "checkpatch (selftests/, qemu/init.c)" "$out/checkpatch-user.log" \
	checkpatch selftests/*.[ch] qemu/init.c

# Kernel code only: the userspace C (selftests/, qemu/init.c) is checked by
# checkpatch above, and clang-format misreads the kselftest harness macros
# (FIXTURE(x) {, EXPECT_*() { TH_LOG(); }). module/trace.h is left out:
# TRACE_EVENT() arguments are code fragments clang-format cannot lay out,
# and none of the kernel's 160 include/trace/events/ headers passes it.
fmt=()
for f in module/*.[ch]; do
	[ "$f" = module/trace.h ] || fmt+=("$f")
done
check "clang-format, the kernel's .clang-format (module/ but trace.h)" \
	"$out/clang-format.log" "$top/scripts/format-check.sh" "$src" "${fmt[@]}"
check "coccicheck, the kernel's SmPL rules (module/)" "$out/coccicheck.log" \
	"$top/scripts/coccicheck.sh" "$src" "$top/module"

[ $# -gt 0 ] || set -- "/lib/modules/$(stock_kernel_version)/build"
for kdir in "$@"; do
	tag=$(kernel_tag "$kdir")
	check "W=1 + sparse (C=2), $tag" "$out/build-$tag.log" \
		"$top/scripts/build-module.sh" "$kdir" "$(module_dir "$kdir")"
done
exit "$failed"
