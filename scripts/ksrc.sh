#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ksrc.sh VERSION - the Debian kernel source tree of linux-source-VERSION
# (e.g. 6.12), extracted once from /usr/src/linux-source-VERSION.tar.xz
# into $KTLIFE_CACHE/src/ and keyed by the package version, so that a
# package upgrade extracts anew. Prints the absolute path of the tree on
# stdout, and nothing else there. The tree is read-only by convention: the
# debug kernel builds out of tree (O=), and lint tools (checkpatch.pl,
# kselftest_harness.h, ...) are used in place.
#
# linux-source-6.12 is one of deps.sh's packages; another series of
# bookworm (e.g. 6.1, for the optional debug-6.1 kernel of kernels.sh) is
# installed here on first use, with apt-get when run as root.
#
# VERSION "7" (or "7.N"): the newest linux-source-7.* (or that series)
# that Debian's archive offers beyond bookworm (trixie-backports, then
# unstable), fetched with scripts/debfetch.sh without installing it or
# touching the host's apt sources, and extracted from the package file.
# If the archive cannot be reached, the newest tree of the series that
# was extracted before is used, and said; with none, it fails and says
# why. Every tree's name carries the exact package version, e.g.
# linux-source-7.3-7.3.4-1_bpo13_1.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

[ $# -eq 1 ] || die "usage: ksrc.sh VERSION (e.g. 6.12; 7 for the newest 7.x)"
ver=$1
srcdir=$KTLIFE_CACHE/src

# installed PACKAGE: its version if dpkg has it installed, else false.
installed()
{
	dpkg-query -W -f='${Status} ${Version}\n' "$1" 2>/dev/null |
		awk '$3 == "installed" { print $4; f = 1 } END { exit !f }'
}

# Package versions hold '~' and ':', which make and paths do not love.
safe_key()
{
	printf '%s' "$1" | tr -c 'A-Za-z0-9.+-' '_'
}

# extract TARBALL PKG PKGVER: PKG's TARBALL extracted once, as
# PKG-PKGVER (made safe); its path on stdout.
extract()
{
	local tarball=$1 pkg=$2 pkgver=$3 tree tmp old

	tree=$srcdir/$pkg-$(safe_key "$pkgver")
	if [ ! -f "$tree/Makefile" ]; then
		mkdir -p "$srcdir"
		# Two concurrent first runs must not both extract into one name.
		exec 9>"$srcdir/.lock"
		flock -n 9 || {
			say "waiting for another extraction of $pkg"
			flock 9
		}
		if [ ! -f "$tree/Makefile" ]; then
			say "extracting $tarball ($pkgver), once"
			tmp=$(mktemp -d "$srcdir/.extract.XXXXXX")
			# shellcheck disable=SC2064 # this tmp, now
			trap "rm -rf '$tmp'" EXIT
			tar -C "$tmp" --no-same-owner -xf "$tarball"
			[ -f "$tmp/$pkg/Makefile" ] ||
				die "$tarball does not hold $pkg/Makefile"
			# The rename is what makes the tree appear all at once.
			mv "$tmp/$pkg" "$tree"
			rm -rf "$tmp"
			trap - EXIT
			# Trees of older package versions are dead weight now.
			for old in "$srcdir/$pkg"-*; do
				[ "$old" = "$tree" ] || rm -rf "$old"
			done
		fi
		exec 9>&-
	fi
	echo "$tree"
}

# A series beyond bookworm, from the archive's newer suites.
newer()
{
	local regex found pkg pkgver deb tmp tree err

	mkdir -p "$srcdir"
	regex="linux-source-${ver//./\\.}"
	[ "$ver" != 7 ] || regex='linux-source-7\.[0-9]+'
	err=$srcdir/.debfetch.err
	if found=$("$top/scripts/debfetch.sh" newest "$regex" 2>"$err"); then
		pkg=${found%% *}
		pkgver=${found#* }
		tree=$srcdir/$pkg-$(safe_key "$pkgver")
		if [ ! -f "$tree/Makefile" ]; then
			deb=$("$top/scripts/debfetch.sh" get "$pkg" 2>>"$err") ||
				die "cannot fetch $pkg $pkgver: $(tail -n 1 "$err")"
			tmp=$(mktemp -d "${TMPDIR:-/tmp}/ksrc.XXXXXX")
			dpkg-deb --fsys-tarfile "$deb" |
				tar -C "$tmp" -x "./usr/src/$pkg.tar.xz" ||
				die "$deb holds no /usr/src/$pkg.tar.xz"
			extract "$tmp/usr/src/$pkg.tar.xz" "$pkg" "$pkgver" \
				>/dev/null
			rm -rf "$tmp"
		fi
		echo "$tree"
		return 0
	fi
	# No archive: the newest tree of the series extracted before.
	tree=$(find "$srcdir" -maxdepth 1 -type d \
		-name "linux-source-$ver*-*" 2>/dev/null | sort -V | tail -n 1)
	if [ -z "$tree" ] || [ ! -f "$tree/Makefile" ]; then
		die "no linux-source-$ver from the Debian archive ($(tail -n 1 "$err")), and no tree extracted before"
	fi
	warn "the Debian archive did not answer ($(tail -n 1 "$err")); using ${tree##*/}, extracted before"
	echo "$tree"
}

case "$ver" in
7 | 7.[0-9]*)
	newer
	exit 0
	;;
esac

pkg=linux-source-$ver
tarball=/usr/src/$pkg.tar.xz
# Installs linux-source-6.12 (the series the project uses) if missing.
"$top/scripts/deps.sh"
if ! pkgver=$(installed "$pkg"); then
	[ "$(id -u)" -eq 0 ] ||
		die "$pkg is not installed: sudo apt-get install $pkg"
	say "installing $pkg (once; about 140 MB)"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >&2
	# Wait a while for another apt-get or dpkg rather than fail.
	apt-get install -y -q --no-install-recommends \
		-o DPkg::Lock::Timeout=600 "$pkg" >&2 ||
		die "apt-get install $pkg failed"
	pkgver=$(installed "$pkg") || die "$pkg is still not installed"
fi
[ -f "$tarball" ] || die "$tarball is missing (reinstall $pkg)"
extract "$tarball" "$pkg" "$pkgver"
