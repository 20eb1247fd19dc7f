#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms.sh [SRCDIR] - the DKMS check: ktlife, as packaged by dkms.conf, is
# added, built against Debian's stock kernel headers and removed by dkms,
# leaving nothing behind. SRCDIR (default: this repository) holds dkms.conf,
# Kbuild, Makefile and module/; a scratch copy with a deliberate error shows
# that the check can fail.
#
# Only dkms.conf, Kbuild, Makefile and module/*.[ch] are staged, into
# /usr/src/ktlife-<version>-check (dkms add <dir> copies <dir>/* wholesale,
# build/ and stale objects included). The "-check" version suffix keeps the
# check off a real installation of ktlife <version>: what it finds under
# that name is its own, left by an aborted run, and is removed first.
# dkms would sign the module with a key it creates once for the whole host
# (/var/lib/dkms/mok.key, mok.pub); the check makes it use a throw-away key.
#
# One line per step with its time, then one summary line; exit 0 if every
# step passed, 1 otherwise (a failed build prints dkms's make.log). Root only.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

src=${1:-$top}
dkms_tree=/var/lib/dkms
source_tree=/usr/src
arch=$(uname -m)
start=$EPOCHREALTIME
tmp=
name=
ver=

# Seconds since $1 (an $EPOCHREALTIME), to the tenth.
since()
{
	local now=${EPOCHREALTIME//[.,]/} then=${1//[.,]/}
	local us=$((10#$now - 10#$then))

	printf '%d.%d' $((us / 1000000)) $((us % 1000000 / 100000))
}

step_start=
step()		# the step's name, to be closed by ok or fail
{
	step_name=$1
	step_start=$EPOCHREALTIME
}

ok()		# [detail]
{
	printf 'dkms: ok     %-40s %6s s%s\n' "$step_name" "$(since "$step_start")" \
		"${1:+  $1}"
}

fail()		# detail [file to show on stderr]
{
	printf 'dkms: FAIL   %-40s %6s s  %s\n' "$step_name" "$(since "$step_start")" "$1"
	if [ -n "${2:-}" ] && [ -f "$2" ]; then
		echo "---- $2" >&2
		cat "$2" >&2
		echo "----" >&2
	fi
	echo "dkms: FAILED at \"$step_name\": $1 ($(since "$start") s)"
	exit 1
}

# Everything registered or staged under the check's name and version.
leftovers()
{
	local d

	for d in "$dkms_tree/$name/$ver" "$source_tree/$name-$ver"; do
		if [ -e "$d" ] || [ -L "$d" ]; then
			echo "$d"
		fi
	done
	dkms status "$name/$ver" 2>/dev/null | grep -F "$name/$ver"
}

# Remove the check's version from dkms and its staged source. dkms remove
# needs a readable dkms.conf; if an aborted run left none, the tree goes.
purge()
{
	if [ -e "$dkms_tree/$name/$ver" ] || [ -L "$dkms_tree/$name/$ver" ]; then
		dkms remove "$name/$ver" --all >>"$tmp/remove.log" 2>&1 ||
			rm -rf "${dkms_tree:?}/$name/$ver"
	fi
	rm -rf "${source_tree:?}/$name-$ver"
	rmdir "$dkms_tree/$name" 2>/dev/null || true
}

cleanup()
{
	[ -n "$name" ] && [ -n "$ver" ] && purge
	[ -n "$tmp" ] && rm -rf "$tmp"
}
trap cleanup EXIT
trap 'fail "interrupted by a signal"' INT TERM HUP

step "preflight"
[ "$(id -u)" -eq 0 ] || fail "needs root (dkms add, build, remove)"
command -v dkms >/dev/null || fail "dkms is not installed (run scripts/deps.sh)"
[ -d "$src" ] || fail "usage: dkms.sh [SRCDIR]: no directory $src"
src=$(realpath -e "$src")
for f in dkms.conf Kbuild Makefile module; do
	[ -e "$src/$f" ] || fail "$src: no $f"
done
kver=$(stock_kernel_version) || fail "no stock kernel with headers (run scripts/deps.sh)"
# One run at a time: a second one would remove the first one's files.
lock=/run/lock
[ -d "$lock" ] || lock=/tmp
exec 9>"$lock/ktlife-dkms.lock"
flock -n 9 || fail "another dkms.sh holds $lock/ktlife-dkms.lock"
tmp=$(mktemp -d /tmp/ktlife-dkms.XXXXXX) || fail "mktemp failed"
# dkms reads these from its framework.conf, or else from the environment.
export mok_signing_key=$tmp/mok.key mok_certificate=$tmp/mok.pub

# What dkms will read: dkms.conf sourced as dkms does, with bash.
read -r name pkgver < <(
	set +u
	export kernel_source_dir=/lib/modules/$kver/build
	# shellcheck source=/dev/null
	. "$src/dkms.conf" >/dev/null 2>&1
	echo "$PACKAGE_NAME $PACKAGE_VERSION"
)
re='^[A-Za-z0-9][A-Za-z0-9._+~-]*$'
[[ $name =~ $re && $pkgver =~ $re ]] ||
	fail "$src/dkms.conf: PACKAGE_NAME \"$name\" or PACKAGE_VERSION \"$pkgver\" missing or odd"
ver=$pkgver-check
ok "$name $pkgver from $src, as $name/$ver, kernel $kver ($arch)"

step "remove leftovers of an aborted run"
mapfile -t stale < <(leftovers)
purge
# Temporary directories of runs killed before their trap ran (we hold the lock).
for d in /tmp/ktlife-dkms.*; do
	if [ -d "$d" ] && [ "$d" != "$tmp" ]; then
		rm -rf "$d" && stale+=("$d")
	fi
done
mapfile -t still < <(leftovers)
[ ${#still[@]} -eq 0 ] || fail "cannot remove: ${still[*]}" "$tmp/remove.log"
if [ ${#stale[@]} -gt 0 ]; then
	ok "removed: ${stale[*]}"
else
	ok "none"
fi

step "stage $source_tree/$name-$ver"
stage=$source_tree/$name-$ver
if ! { mkdir -p "$stage/module" &&
	cp "$src/dkms.conf" "$src/Kbuild" "$src/Makefile" "$stage/" &&
	cp "$src"/module/*.[ch] "$stage/module/" &&
	sed -i "s/^PACKAGE_VERSION=.*/PACKAGE_VERSION=\"$ver\"/" "$stage/dkms.conf"; }; then
	fail "cannot copy $src"
fi
grep -qx "PACKAGE_VERSION=\"$ver\"" "$stage/dkms.conf" ||
	fail "cannot set PACKAGE_VERSION in the staged dkms.conf"
ok "$(find "$stage" -type f | wc -l) files"

step "dkms add"
dkms add "$stage" >"$tmp/add.log" 2>&1 || fail "dkms add failed" "$tmp/add.log"
[ -L "$dkms_tree/$name/$ver/source" ] || fail "no $dkms_tree/$name/$ver/source" "$tmp/add.log"
ok

step "dkms build -k $kver"
if ! dkms build "$name/$ver" -k "$kver" >"$tmp/build.log" 2>&1; then
	cat "$tmp/build.log" >&2
	fail "dkms build failed" "$dkms_tree/$name/$ver/build/make.log"
fi
dkms status "$name/$ver" -k "$kver" 2>/dev/null | grep -q ": built" ||
	fail "dkms status does not say built" "$tmp/build.log"
ok

step "ktlife.ko, vermagic"
ko=$(find "$dkms_tree/$name/$ver/$kver/$arch/module" -name 'ktlife.ko*' 2>/dev/null | head -n 1)
[ -n "$ko" ] || fail "no ktlife.ko under $dkms_tree/$name/$ver/$kver/$arch/module" "$tmp/build.log"
vermagic=$(modinfo -F vermagic "$ko")
[ "${vermagic%% *}" = "$kver" ] || fail "vermagic \"$vermagic\", expected $kver"
[ "$(modinfo -F name "$ko")" = ktlife ] || fail "modinfo name is not ktlife"
modver=$(modinfo -F version "$ko")
if [ "$modver" != "$pkgver" ]; then
	fail "MODULE_VERSION \"$modver\" but dkms.conf says $pkgver"
fi
signer=$(modinfo -F signer "$ko")
ok "$(du -k "$ko" | cut -f1) KiB, vermagic ${vermagic% }, version $modver, signer ${signer:-none}"

step "dkms remove --all"
dkms remove "$name/$ver" --all >"$tmp/remove.log" 2>&1 ||
	fail "dkms remove failed" "$tmp/remove.log"
rm -rf "${source_tree:?}/$name-$ver"
ok

step "nothing left"
mapfile -t still < <(leftovers)
[ ${#still[@]} -eq 0 ] || fail "left: ${still[*]}"
if [ -e "$dkms_tree/$name" ]; then
	others=$(ls -A "$dkms_tree/$name")
	[ -n "$others" ] || fail "empty $dkms_tree/$name left"
	ok "no $dkms_tree/$name/$ver (other versions kept: $others), no $source_tree/$name-$ver"
else
	ok "no $dkms_tree/$name, no $source_tree/$name-$ver"
fi

echo "dkms: ok, $name $pkgver built by dkms against $kver and removed ($(since "$start") s)"
