#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lint.sh [--only static|builds] [KDIR...] - the static half of "make
# check", one TAP line per check: checkpatch --strict on the kernel code,
# kernel-doc on every non-static function, checkpatch on the selftests
# (userspace C, where <stdint.h> types are right), clang-format with the
# kernel's .clang-format on the kernel code (format-check.sh), the kernel's
# coccicheck on module/ (coccicheck.sh, about 45 s), the docs' quotes of
# the code (docs-check.sh), the litmus tests of module/litmus/ by herd7
# with the kernel's memory model (litmus-check.sh), and a W=1 + sparse
# build against each KDIR
# (default: Debian's stock headers), which leaves the ktlife.ko that the VM
# tests then load (see module_dir). --only builds runs the builds alone,
# --only static all the rest (make check runs the two apart, with the VMs
# booting between them). The tools and rules come from the newest
# extracted Debian kernel source (linux-source-7.x, ksrc.sh), at run time.
# Exit status: the number of failed checks (0: all clean).
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"
# shellcheck source=qemu/kernels.sh
. "$top/qemu/kernels.sh"

only=
if [ "${1:-}" = --only ]; then
	only=${2:?--only static or --only builds}
	shift 2
fi
# The newest tree (7.x, what a patch meets today), or 6.12 if neither the
# archive nor a tree extracted before has one (ksrc.sh says which).
src=$("$top/scripts/ksrc.sh" 7) || src=$("$top/scripts/ksrc.sh" 6.12) ||
	die "no kernel source"
tree=${src##*/}
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

# Everything but the builds.
static_checks()
{
	local fmt=() f

	check "checkpatch --strict (module/, Kbuild; $tree)" \
		"$out/checkpatch-module.log" \
		checkpatch --strict module/*.[ch] module/first/ktlife_first.c Kbuild \
		module/first/Kbuild
	check "kernel-doc on every non-static function (module/)" \
		"$out/kernel-doc.log" "$top/scripts/kdoc-check.sh" "$src" \
		module/*.c module/first/ktlife_first.c
	# KT_FIXTURE() and KT_SETUP() define a kselftest fixture and leave
	# its setup, the harness's own idiom (FIXTURE(), TEST_F()): the two
	# kernel macro rules they break are for kernel code.
	check "checkpatch (selftests/, qemu/init.c)" \
		"$out/checkpatch-user.log" \
		checkpatch --ignore MULTISTATEMENT_MACRO_USE_DO_WHILE,MACRO_WITH_FLOW_CONTROL \
		selftests/*.[ch] qemu/init.c
	# Kernel code only: the userspace C (selftests/, qemu/init.c) is
	# checked by checkpatch above, and clang-format misreads the kselftest
	# harness macros (FIXTURE(x) {, EXPECT_*() { TH_LOG(); }).
	# module/trace.h is left out: TRACE_EVENT() arguments are code
	# fragments clang-format cannot lay out, and none of the kernel's 160
	# include/trace/events/ headers passes it.
	for f in module/*.[ch] module/first/ktlife_first.c; do
		[ "$f" = module/trace.h ] || fmt+=("$f")
	done
	check "clang-format, the kernel's .clang-format (module/ but trace.h)" \
		"$out/clang-format.log" "$top/scripts/format-check.sh" "$src" \
		"${fmt[@]}"
	check "coccicheck, the kernel's SmPL rules (module/; $tree)" \
		"$out/coccicheck.log" \
		"$top/scripts/coccicheck.sh" "$src" "$top/module"
	check "kthread rules: fixtures fire, fixed ones and module/ do not" \
		"$out/kthread-rules.log" "$top/scripts/kthread-rules-check.sh"
	check "docs true to the code (quotes, tests, diagrams, mutants)" \
		"$out/docs-check.log" "$top/scripts/docs-check.sh"
	check "VM verdict rules fire on known splats, not on known noise" \
		"$out/harness-check.log" "$top/scripts/harness-check.sh"
	# module/litmus/ by herd7 with this source's LKMM (litmus-check.sh;
	# herd7.sh fetches herd7, a package of Debian sid only, once).
	local tests=(module/litmus/*.litmus) ver
	ver=$("$top/scripts/herd7.sh" "$src" -version 2>"$out/herd7.log") &&
		ver=${ver%%,*} || ver="unavailable, see $out/herd7.log"
	check "litmus: ${#tests[@]} tests, each as expected (herd7 $ver, LKMM of $tree)" \
		"$out/litmus.log" "$top/scripts/litmus-check.sh" "$src"
}

# A W=1 + sparse build against each kernel build tree given.
build_checks()
{
	local kdir tag

	[ $# -gt 0 ] || set -- "/lib/modules/$(stock_kernel_version)/build"
	for kdir in "$@"; do
		tag=$(kernel_tag "$kdir")
		check "W=1 + sparse (C=2), $tag" "$out/build-$tag.log" \
			"$top/scripts/build-module.sh" "$kdir" \
			"$(module_dir "$kdir")"
	done
}

cd "$top" || exit 1
[ "$only" = builds ] || static_checks
[ "$only" = static ] || build_checks "$@"
exit "$failed"
