#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# debfetch.sh - packages from Debian suites newer than the host's bookworm
# (trixie-backports, sid), fetched without touching the host's apt
# configuration: a private sources list, package lists and cache under
# $KTLIFE_CACHE/apt, "apt-get download" and "dpkg-deb -x". Nothing is
# installed; what is unpacked runs from where it lies (herd7 through the
# unpacked ld.so, see scripts/herd7.sh) or is read as data
# (linux-source-7.x's tarball, see scripts/ksrc.sh).
#
#   debfetch.sh newest REGEX   the newest package whose name matches the
#                              extended REGEX (whole name), "NAME VERSION"
#   debfetch.sh get PKG        PKG's .deb (newest version), its path
#   debfetch.sh unpack PKG DIR PKG's .deb unpacked into DIR (once per
#                              version: DIR/.debfetch-PKG records it)
#
# The lists are refreshed when older than a day (KTLIFE_APT_MAXAGE, in
# seconds). When the archive cannot be reached, what was fetched before is
# used, and said; with nothing fetched before, the command fails and says
# why. Output: results on stdout, messages on stderr.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

apt_dir=$KTLIFE_CACHE/apt
debs=$apt_dir/debs
maxage=${KTLIFE_APT_MAXAGE:-86400}
mirror=${KTLIFE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

apt_opts=(-o "Dir::Etc::sourcelist=$apt_dir/sources.list"
	-o Dir::Etc::sourceparts=- -o "Dir::State::Lists=$apt_dir/lists"
	-o "Dir::Cache=$apt_dir/cache" -o APT::Get::List-Cleanup=0
	-o Debug::NoLocking=1 -o APT::Sandbox::User=root)

setup()
{
	mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" \
		"$debs"
	{
		echo "deb [signed-by=$keyring] $mirror trixie-backports main"
		echo "deb [signed-by=$keyring] $mirror sid main"
	} >"$apt_dir/sources.list"
}

# Refresh the lists if they are old; on failure keep the old ones.
update()
{
	local stamp=$apt_dir/lists/.updated now

	now=$(date +%s)
	if [ -f "$stamp" ] &&
	   [ $((now - $(stat -c %Y "$stamp"))) -lt "$maxage" ]; then
		return 0
	fi
	if apt-get "${apt_opts[@]}" -q update >"$apt_dir/update.log" 2>&1 &&
	   ! grep -q '^\(W\|E\): ' "$apt_dir/update.log"; then
		touch "$stamp"
		return 0
	fi
	if compgen -G "$apt_dir/lists/*_Packages" >/dev/null; then
		warn "the Debian archive did not answer (see $apt_dir/update.log): using the package lists of $(date -u -r "$stamp" +%F 2>/dev/null || echo 'an earlier run')"
		return 0
	fi
	return 1
}

# newest REGEX: "NAME VERSION" of the newest matching package.
newest()
{
	apt-cache "${apt_opts[@]}" pkgnames 2>/dev/null | grep -xE "$1" |
		while read -r name; do
			printf '%s %s\n' "$name" "$(apt-cache "${apt_opts[@]}" \
				policy "$name" | sed -n 's/^  Candidate: //p')"
		done | sort -V -k1,1 -k2,2 | tail -n 1
}

# get PKG: its .deb's path; a cached one when the archive is unreachable.
get()
{
	local ver deb

	ver=$(apt-cache "${apt_opts[@]}" policy "$1" 2>/dev/null |
		sed -n 's/^  Candidate: //p')
	if [ -n "$ver" ] && [ "$ver" != "(none)" ]; then
		deb=$(find "$debs" -name "${1}_$(printf '%s' "$ver" |
			sed 's/:/%3a/')_*.deb" | head -n 1)
		if [ -z "$deb" ]; then
			(cd "$debs" && apt-get "${apt_opts[@]}" -q download \
				"$1=$ver" >&2) || true
			deb=$(find "$debs" -name "${1}_*.deb" -newer \
				"$apt_dir/sources.list" | sort -V | tail -n 1)
		fi
	fi
	[ -n "${deb:-}" ] || deb=$(find "$debs" -name "${1}_*.deb" |
		sort -V | tail -n 1)
	[ -n "$deb" ] || return 1
	echo "$deb"
}

setup
case "${1:-}" in
newest)
	[ $# -eq 2 ] || die "usage: debfetch.sh newest REGEX"
	update || die "cannot reach the Debian archive at $mirror (see $apt_dir/update.log), and nothing was fetched before"
	out=$(newest "$2")
	[ -n "$out" ] || die "no package matching '$2' in trixie-backports or sid"
	echo "$out"
	;;
get)
	[ $# -eq 2 ] || die "usage: debfetch.sh get PKG"
	update || true
	get "$2" || die "cannot fetch $2 from $mirror, and no copy was fetched before"
	;;
unpack)
	[ $# -eq 3 ] || die "usage: debfetch.sh unpack PKG DIR"
	update || true
	deb=$(get "$2") || die "cannot fetch $2 from $mirror, and no copy was fetched before"
	mark=$3/.debfetch-$2
	if [ "$(cat "$mark" 2>/dev/null)" != "${deb##*/}" ]; then
		mkdir -p "$3"
		dpkg-deb -x "$deb" "$3"
		echo "${deb##*/}" >"$mark"
	fi
	;;
*)
	die "usage: debfetch.sh newest REGEX | get PKG | unpack PKG DIR"
	;;
esac
