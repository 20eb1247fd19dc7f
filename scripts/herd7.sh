#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# herd7.sh TREE [ARG...] - herd7, the litmus-test simulator of herdtools7,
# with the Linux-kernel memory model (LKMM) of the kernel source TREE: its
# tools/memory-model/linux-kernel.cfg and the .def, .bell and .cat that
# file names, used in place (-I TREE/tools/memory-model -conf
# linux-kernel.cfg), every ARG passed through. For example:
#   scripts/herd7.sh "$(scripts/ksrc.sh 6.12)" module/litmus/compactor-kick.litmus
#   scripts/herd7.sh "$(scripts/ksrc.sh 6.12)" -version
# scripts/litmus-check.sh runs module/litmus/ through it.
#
# herd7 is no package of bookworm: Debian has herdtools7 in sid only, built
# against sid's newer glibc. So it comes with sid's libc6 and libgmp10 (its
# other libraries, libm and the loader, are libc6's), all three fetched by
# scripts/debfetch.sh (a private apt state: the host's apt sources are
# never touched), unpacked with dpkg-deb -x into $KTLIFE_CACHE/herd7/KEY
# (KEY: a hash of the three .deb names, so a new version is a new
# directory, and older ones are removed), and run through the unpacked
# dynamic loader with --library-path: nothing is installed, and the host's
# own glibc is neither used nor changed. Which .debs are current is asked
# again once a day (KTLIFE_APT_MAXAGE, in seconds, as debfetch.sh's lists);
# if the archive cannot be reached then, the set unpacked before is used,
# and said.
#
# When herd7 cannot be fetched, or does not run (a library it needs that
# the three packages do not hold, which is named), this fails and says so.
# Exit status: herd7's own once it runs, else 1.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

[ $# -ge 1 ] || die "usage: herd7.sh TREE [HERD7-ARG...]"
lkmm=$1/tools/memory-model
shift
[ -f "$lkmm/linux-kernel.cfg" ] ||
	die "no $lkmm/linux-kernel.cfg: TREE must be an extracted kernel source (scripts/ksrc.sh 6.12 prints one)"

pkgs=(herdtools7 libc6 libgmp10)
base=$KTLIFE_CACHE/herd7
maxage=${KTLIFE_APT_MAXAGE:-86400}
libdir=usr/lib/x86_64-linux-gnu

# usable DIR: DIR holds a whole unpacked set.
usable()
{
	[ -f "$1/.complete" ] && [ -x "$1/usr/bin/herd7" ] &&
		[ -x "$1/$libdir/ld-linux-x86-64.so.2" ]
}

# check DIR: herd7 finds every library it needs in DIR, and runs; if not,
# says why on stdout and fails.
check()
{
	local ldso=$1/$libdir/ld-linux-x86-64.so.2 missing

	missing=$("$ldso" --library-path "$1/$libdir" --list \
		"$1/usr/bin/herd7" 2>&1 |
		sed -n 's/^[[:space:]]*\([^ ]*\) => not found.*/\1/p' |
		tr '\n' ' ')
	if [ -n "$missing" ]; then
		echo "herd7 needs ${missing}which ${pkgs[*]} do not hold: add their packages to pkgs in ${0##*/}"
		return 1
	fi
	"$ldso" --library-path "$1/$libdir" "$1/usr/bin/herd7" -version \
		>/dev/null 2>&1 || { echo "the unpacked herd7 does not run"; return 1; }
}

# resolve: the current .debs of the packages, unpacked once into
# $base/KEY, which $base/current then names. Fails if one cannot be had.
resolve()
{
	local p deb names=() key dir tmp old why

	for p in "${pkgs[@]}"; do
		deb=$("$top/scripts/debfetch.sh" get "$p") || return 1
		names+=("${deb##*/}")
	done
	key=$(printf '%s\n' "${names[@]}" | sha256sum | cut -c1-12)
	dir=$base/$key
	if ! usable "$dir"; then
		say "unpacking ${names[*]} (once, about 250 MB)"
		tmp=$(mktemp -d "$base/.unpack.XXXXXX")
		for p in "${pkgs[@]}"; do
			"$top/scripts/debfetch.sh" unpack "$p" "$tmp" ||
				{ rm -rf "$tmp"; return 1; }
		done
		if ! why=$(check "$tmp"); then
			rm -rf "$tmp"
			die "$why"
		fi
		# What was unpacked, as debfetch.sh recorded it.
		cat "$tmp"/.debfetch-* >"$tmp/.complete"
		rm -rf "$dir"
		# The rename is what makes the set appear all at once.
		mv "$tmp" "$dir"
		for old in "$base"/*; do
			[ "$old" = "$dir" ] || [ ! -d "$old" ] || [ -L "$old" ] ||
				rm -rf "$old"
		done
	fi
	ln -sfn "$key" "$base/.current.new"
	mv -T "$base/.current.new" "$base/current"
	touch "$base/.checked"
}

mkdir -p "$base"
stamp=$base/.checked
if ! usable "$base/current" || [ ! -f "$stamp" ] ||
   [ $(($(date +%s) - $(stat -c %Y "$stamp"))) -ge "$maxage" ]; then
	# Two first runs must not unpack into the same name at once.
	exec 9>"$base/.lock"
	flock 9
	if ! usable "$base/current" || [ ! -f "$stamp" ] ||
	   [ $(($(date +%s) - $(stat -c %Y "$stamp"))) -ge "$maxage" ]; then
		if ! resolve; then
			usable "$base/current" ||
				die "herd7 cannot be had: Debian's herdtools7 (sid only), with sid's libc6 and libgmp10, could not be fetched (see above, and $KTLIFE_CACHE/apt/update.log), and none was unpacked before"
			warn "could not ask the Debian archive for herdtools7: using the one unpacked before ($(tr '\n' ' ' <"$base/current/.complete"))"
		fi
	fi
	exec 9>&-
fi

root=$base/current
exec "$root/$libdir/ld-linux-x86-64.so.2" --library-path "$root/$libdir" \
	"$root/usr/bin/herd7" -I "$lkmm" -I "$root/usr/share/herdtools7/herd" \
	-conf linux-kernel.cfg "$@"
