#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh - "make check": every test, on a fresh Debian 12 machine too.
#
# Installs what is missing, runs the lint checks (which also build ktlife.ko
# for each kernel with W=1 and sparse), then boots each kernel in QEMU with
# the selftests and the kernel's kselftest runner. The output is one TAP
# stream: a line per lint check, a line per selftest case per kernel, a
# line per kernel for Perl's prove over the runner's own TAP, a line per
# VM boot (clean kernel log and verdict), then "N passed, N failed".
# Exit status 0 only if nothing failed.
#
# KERNELS="stock debug" (default) chooses the kernels, in that order
# (names in scripts/kernels.sh), also from make: make check KERNELS=...
#   stock      Debian's 6.1 linux-image-amd64; built against its headers
#   debug      6.12 debug kernel (KASAN, kmemleak, lockdep, ...), built
#              and cached by scripts/debug-kernel.sh
#   clang      optional: 6.12 built with LLVM=1, build only (W=1 + sparse
#              with clang), never booted
#   debug-6.1  optional: the debug kernel from linux-source-6.1 (installed
#              on first use), e.g. make check KERNELS="stock debug debug-6.1"
# Every kernel gets a W=1 + sparse build in the lint lines; each one that
# boots (all but clang) then runs the selftests.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"
# shellcheck source=scripts/kernels.sh
. "$top/scripts/kernels.sh"

start=$(date +%s)
kernels=${KERNELS:-stock debug}
n=0
passed=0
failed=0
skipped=0

result()	# ok|not ok, name [, directive]
{
	n=$((n + 1))
	echo "$1 $n $2${3:+ # $3}"
	case "$1:${3:-}" in
	ok:SKIP*) skipped=$((skipped + 1)) ;;
	ok:*) passed=$((passed + 1)) ;;
	*) failed=$((failed + 1)) ;;
	esac
}

"$top/scripts/deps.sh" || die "missing packages"
echo "TAP version 13"

# Resolve every kernel first: debug and clang ones may need building
# (cached).
declare -A kdir image
for k in $kernels; do
	kernel_resolve "$k" || die "cannot prepare the $k kernel"
	kdir[$k]=$KDIR
	image[$k]=$IMAGE
done

# Lint: TAP lines of its own, renumbered into ours.
while IFS= read -r line; do
	case "$line" in
	"ok "*) result ok "${line#ok [0-9]* }" ;;
	"not ok "*) result "not ok" "${line#not ok [0-9]* }" ;;
	*) echo "$line" ;;
	esac
done < <("$top/scripts/lint.sh" "${kdir[@]}")

# Packaging: dkms add, build against the stock headers, remove (root only).
if [ "$(id -u)" -ne 0 ]; then
	result ok "dkms: build and remove" "SKIP needs root"
elif dkms_out=$("$top/scripts/dkms.sh" 2>&1); then
	result ok "$(tail -n 1 <<<"$dkms_out")"
else
	result "not ok" "dkms: build and remove"
	sed 's/^/# /' <<<"$dkms_out"
fi

# The selftests are plain userspace programs: build them once, for all.
ksft=$("$top/scripts/ksrc.sh" 6.12)/tools/testing/selftests
make -s -C "$top/selftests" KSFT_DIR="$ksft" >/dev/null ||
	result "not ok" "selftests: build"

for k in $kernels; do
	if [ -z "${image[$k]}" ]; then
		echo "# $k ($(kernel_tag "${kdir[$k]}")): build only, not booted"
		continue
	fi
	ko=$(module_dir "${kdir[$k]}")/ktlife.ko
	payload=$KTLIFE_BUILD/payload-$k
	log=$KTLIFE_BUILD/console-$k.log
	if [ ! -f "$ko" ]; then
		result "not ok" "vm $k: no ktlife.ko was built"
		continue
	fi
	"$top/scripts/stage.sh" "$ko" "$payload" \
		"$top/scripts/vm-selftests.sh" || die "staging failed"

	echo "# booting the $k kernel ($(kernel_tag "${kdir[$k]}")); console log: $log"
	# loglevel=1 keeps the kernel's chatter off the console, so that the
	# TAP stays whole; run.sh scans the full kernel log for splats.
	"$top/qemu/run.sh" --kernel "${image[$k]}" --payload "$payload" \
		--log "$log" --append loglevel=1 --quiet \
		>"$KTLIFE_BUILD/vm-$k.out" 2>&1
	vm_rc=$?
	tap=$KTLIFE_BUILD/ktap-$k.tap
	tr -d '\r' <"$log" | sed -n '/^TAP version/,/^ktlife-verdict/p' |
		grep -v '^ktlife-verdict' >"$tap"

	# Each selftest case is one result: the harness's own KTAP lines,
	# nested one level ("# ok 3 ktlife.name") under the runner's.
	cases=0
	while IFS= read -r line; do
		line=${line%$'\r'}
		case "$line" in
		"# ok "[0-9]*|"# not ok "[0-9]*) ;;
		"# #"*|"# "*) echo "$line"; continue ;;
		*) continue ;;
		esac
		line=${line#\# }
		status=ok
		case "$line" in "not ok "*) status="not ok" ;; esac
		rest=${line#"$status" [0-9]* }
		name=${rest%% \# *}
		directive=
		case "$rest" in *" # "*) directive=${rest#* \# } ;; esac
		result "$status" "$k: $name" "$directive"
		cases=$((cases + 1))
	done <"$tap"

	# The kernel's runner wrote KTAP: Perl's TAP harness must agree.
	if prove -e cat "$tap" >"$KTLIFE_BUILD/prove-$k.out" 2>&1; then
		result ok "prove $k: the runner's TAP parses and passes"
	else
		sed 's/^/# /' "$KTLIFE_BUILD/prove-$k.out"
		result "not ok" "prove $k: the runner's TAP"
	fi
	if [ "$vm_rc" -eq 0 ] && [ "$cases" -gt 0 ]; then
		result ok "vm $k: verdict 0, console log clean ($cases cases)"
	else
		sed 's/^/# /' "$KTLIFE_BUILD/vm-$k.out"
		result "not ok" "vm $k: verdict and console log (see $log)"
	fi
done

echo "1..$n"
echo "# make check took $(($(date +%s) - start)) s"
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
