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
# linux-source-6.12 is one of deps.sh's packages; another series (e.g. 6.1,
# for the optional debug-6.1 kernel of kernels.sh) is installed here on
# first use, with apt-get when run as root.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

[ $# -eq 1 ] || die "usage: ksrc.sh VERSION (e.g. 6.12)"
ver=$1
pkg=linux-source-$ver
tarball=/usr/src/$pkg.tar.xz

# installed PACKAGE: its version if dpkg has it installed, else false.
installed()
{
	dpkg-query -W -f='${Status} ${Version}\n' "$1" 2>/dev/null |
		awk '$3 == "installed" { print $4; f = 1 } END { exit !f }'
}

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

# Package versions hold '~' and ':', which make and paths do not love.
key=$(printf '%s' "$pkgver" | tr -c 'A-Za-z0-9.+-' '_')
srcdir=$KTLIFE_CACHE/src
tree=$srcdir/$pkg-$key

if [ ! -f "$tree/Makefile" ]; then
	mkdir -p "$srcdir"
	# Two concurrent first runs must not both extract into the same name.
	exec 9>"$srcdir/.lock"
	flock -n 9 || {
		say "waiting for another extraction of $pkg"
		flock 9
	}
	if [ ! -f "$tree/Makefile" ]; then
		say "extracting $tarball ($pkgver), once"
		tmp=$(mktemp -d "$srcdir/.extract.XXXXXX")
		trap 'rm -rf "$tmp"' EXIT
		tar -C "$tmp" --no-same-owner -xf "$tarball"
		[ -f "$tmp/$pkg/Makefile" ] ||
			die "$tarball does not hold $pkg/Makefile"
		# The rename is what makes the tree appear all at once.
		mv "$tmp/$pkg" "$tree"
		# Trees of older package versions are dead weight now.
		for old in "$srcdir/$pkg"-*; do
			[ "$old" = "$tree" ] || rm -rf "$old"
		done
	fi
	exec 9>&-
fi
echo "$tree"
