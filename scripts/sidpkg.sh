#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sidpkg.sh NAME BINARY PKG... - a tool that bookworm lacks or has too old
# (herd7, a newer sparse), from Debian's newer suites: PKG... (the tool's
# package, sid's libc6 and whatever else it links) fetched by
# scripts/debfetch.sh (a private apt state: the host's apt sources are never
# touched), unpacked with dpkg-deb -x into $KTLIFE_CACHE/NAME/KEY (KEY: a
# hash of the .deb names, so a new version is a new directory, and older
# ones are removed). Prints the path of a script that runs BINARY (a path
# inside the packages, e.g. usr/bin/sparse) through the unpacked dynamic
# loader with --library-path, so that nothing is installed and the host's
# own glibc is neither used nor changed; the script passes its arguments
# on, and can be given to make as a program (CHECK=).
#
# Which .debs are current is asked again once a day (KTLIFE_APT_MAXAGE, in
# seconds, as debfetch.sh's lists); if the archive cannot be reached then,
# the set unpacked before is used, and said. When the tool cannot be
# fetched, or does not run (a library that the packages do not hold, which
# is named), this fails and says so.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

[ $# -ge 3 ] || die "usage: sidpkg.sh NAME BINARY PKG..."
name=$1
binary=$2
shift 2
pkgs=("$@")
base=$KTLIFE_CACHE/$name
maxage=${KTLIFE_APT_MAXAGE:-86400}
libdir=usr/lib/x86_64-linux-gnu

# usable DIR: DIR holds a whole unpacked set.
usable()
{
	[ -f "$1/.complete" ] && [ -e "$1/$binary" ] && [ -x "$1/run" ] &&
		[ -x "$1/$libdir/ld-linux-x86-64.so.2" ]
}

# check DIR: the binary finds every library it needs in DIR; if not, says
# why on stdout and fails.
check()
{
	local ldso=$1/$libdir/ld-linux-x86-64.so.2 missing

	missing=$("$ldso" --library-path "$1/$libdir" --list \
		"$1/$binary" 2>&1 |
		sed -n 's/^[[:space:]]*\([^ ]*\) => not found.*/\1/p' |
		tr '\n' ' ')
	if [ -n "$missing" ]; then
		echo "$binary needs ${missing}which ${pkgs[*]} do not hold"
		return 1
	fi
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
		say "unpacking ${names[*]} (once)"
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
		cat >"$tmp/run" <<EOF
#!/bin/sh
# $binary of ${names[*]}, through their own loader (scripts/sidpkg.sh).
exec "$dir/$libdir/ld-linux-x86-64.so.2" --library-path "$dir/$libdir" "$dir/$binary" "\$@"
EOF
		chmod 755 "$tmp/run"
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
				die "$name cannot be had: ${pkgs[*]} could not be fetched from Debian's archive (see above, and $KTLIFE_CACHE/apt/update.log), and none was unpacked before"
			warn "could not ask the Debian archive for ${pkgs[*]}: using the set unpacked before ($(tr '\n' ' ' <"$base/current/.complete"))"
		fi
	fi
	exec 9>&-
fi
# The resolved directory, not the link: a later update must not move the
# ground under a running build.
echo "$(readlink -f "$base/current")/run"
