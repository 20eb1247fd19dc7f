#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kdoc-check.sh KSRC FILE... - kernel-doc on every non-static function:
# the kernel's scripts/kernel-doc (from the extracted source KSRC) must
# find a comment for each, and find no fault (-Wall) in any comment.
set -uo pipefail

ksrc=$1
shift
kdoc=$ksrc/scripts/kernel-doc
status=0

# kernel-doc's own complaint about Sphinx is noise here.
quiet()
{
	"$@" 2>&1 >/dev/null | grep -v '^Warning: Sphinx'
}

out=$(quiet "$kdoc" -none -Wall "$@")
[ -z "$out" ] || { echo "$out"; status=1; }
for file in "$@"; do
	# Definitions start in column 0; static ones need no kernel-doc.
	for fn in $(grep -oE '^[a-z][a-z0-9_ *]*[ *]ktlife_[a-z0-9_]+\(' "$file" |
		    grep -v '^static' | grep -oE 'ktlife_[a-z0-9_]+\($' |
		    tr -d '('); do
		out=$(quiet "$kdoc" -rst -function "$fn" "$file")
		if [ -n "$out" ]; then
			echo "$file: $fn(): $out"
			status=1
		fi
	done
done
exit "$status"
