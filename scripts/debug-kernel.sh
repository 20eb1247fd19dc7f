#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# debug-kernel.sh [VERSION] - print the build tree of ktlife's debug kernel
# (default VERSION 6.12), building it first if the cache has none:
# tinyconfig + qemu/base.config + qemu/debug.config, from Debian's
# linux-source-VERSION. The tree doubles as the KDIR ktlife.ko is built
# against, and its bzImage is what the VM boots.
#
# Cached under $KTLIFE_CACHE/kernels/ by a hash of the fragments, the source
# package version and this script, so a fresh clone on the same machine
# reuses it. The build happens in its final directory (objdirs record
# absolute paths); a ".done" marker written last makes a build complete.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

ver=${1:-6.12}
src=$("$top/scripts/ksrc.sh" "$ver")
fragments=("$top/qemu/base.config" "$top/qemu/debug.config")
hash=$({ cat "${fragments[@]}" "$0"; echo "$src"; } | sha256sum | cut -c1-12)
obj=$KTLIFE_CACHE/kernels/debug-$ver-$hash

if [ -f "$obj/.done" ]; then
	echo "$obj"
	exit 0
fi

rm -rf "$obj"
mkdir -p "$obj"
log=$obj/build.log
jobs=$(nproc)
say "building the debug kernel $ver into $obj (about 4 min with -j$jobs, once)"

# Every =y of the fragments must survive olddefconfig: an option whose
# dependency is missing vanishes silently, and a debug kernel without
# KASAN would pass tests it should fail.
verify_config()
{
	local want missing=0

	while IFS= read -r want; do
		if ! grep -qx "$want" "$obj/.config"; then
			say "config option dropped: $want"
			missing=1
		fi
	done < <(grep -h '^CONFIG_.*=' "${fragments[@]}")
	return "$missing"
}

start=$(date +%s)
{
	make -C "$src" O="$obj" tinyconfig
	"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" \
		"${fragments[@]}"
	make -C "$src" O="$obj" olddefconfig
} >"$log" 2>&1 || { tail -n 30 "$log" >&2; die "configuring failed"; }
verify_config || die "the debug config lost options (see above)"

make -C "$src" O="$obj" -j"$jobs" bzImage modules_prepare >>"$log" 2>&1 &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
	sleep 15
	say "  $(($(date +%s) - start)) s: $(find "$obj" -name '*.o' | wc -l) objects built"
done
if ! wait "$pid"; then
	tail -n 40 "$log" >&2
	die "debug kernel build failed (full log: $log)"
fi
touch "$obj/.done"
say "debug kernel built in $(($(date +%s) - start)) s"
echo "$obj"
