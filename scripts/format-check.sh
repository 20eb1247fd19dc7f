#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# format-check.sh KSRC FILE... - clang-format --dry-run --Werror on each
# FILE with the kernel's own .clang-format, read from the extracted source
# KSRC (--style=file:PATH, clang-format 14 and later), so that the layout
# is the kernel's and no copy of its style file lives here. A file that
# clang-format would change fails the check, and its diff is printed.
# Where clang-format cannot lay code out the kernel way (TRACE_EVENT()
# and the like), the code says so with /* clang-format off */ ... on */.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

[ $# -ge 2 ] || die "usage: format-check.sh KSRC FILE..."
ksrc=$1
shift
style=$ksrc/.clang-format
cf=${CLANG_FORMAT:-clang-format}

[ -f "$style" ] || die "no .clang-format in $ksrc"
command -v "$cf" >/dev/null ||
	die "$cf not found: apt-get install clang-format (scripts/deps.sh)"
"$cf" --version

status=0
bad=0
for f in "$@"; do
	[ -f "$f" ] || die "no such file: $f"
	if "$cf" --style="file:$style" --dry-run --Werror "$f" >/dev/null 2>&1; then
		continue
	fi
	status=1
	bad=$((bad + 1))
	# The diff shows what to change (or an error of clang-format's own).
	"$cf" --style="file:$style" "$f" |
		diff -u --label "$f" --label "$f (clang-format)" "$f" -
done
if [ "$status" -ne 0 ]; then
	echo "format-check: $bad of $# files not as clang-format lays them out;"
	echo "  apply: $cf --style=file:$style -i FILE"
fi
exit "$status"
