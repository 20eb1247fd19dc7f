#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# docs-check.sh [--fix] - one source per fact: the docs may quote the code,
# never drift from it. Two checks, each a difference printed on failure:
#   - docs/design.md quotes the kernel-doc "DOC: lifetimes and locks" block
#     of module/ktlife.h between its BEGIN and END markers, word for word;
#     --fix rewrites the quote from the code.
#   - docs/testing.md has one row per selftest case, named as in its first
#     column (`name`), and the selftest binaries, listing their cases with
#     kselftest_harness.h's -l, have exactly those cases.
# Exit status: 0 if both hold.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

fix=false
[ "${1:-}" = --fix ] && fix=true
status=0
design=$top/docs/design.md
testing=$top/docs/testing.md
begin='<!-- BEGIN DOC: lifetimes and locks -->'
end='<!-- END DOC: lifetimes and locks -->'

# The DOC block's text: the comment lines after its title, to its end, less
# their " * " (kernel-doc's own reading of it), as a ```text block.
doc_block()
{
	echo '```text'
	sed -n '/^ \* DOC: lifetimes and locks$/,/^ \*\/$/p' \
		"$top/module/ktlife.h" | sed '1d;$d' |
		sed -e 's/^ \* \{0,1\}//' -e 's/^ \*$//' | sed '1{/^$/d}'
	echo '```'
}

quoted_block()
{
	sed -n "\\|^$begin\$|,\\|^$end\$|p" "$design" | sed '1d;$d'
}

if $fix; then
	{
		sed -n "1,\\|^$begin\$|p" "$design"
		doc_block
		sed -n "\\|^$end\$|,\$p" "$design"
	} >"$design.tmp" && mv "$design.tmp" "$design"
fi
if ! diff -u <(doc_block) <(quoted_block) >"${TMPDIR:-/tmp}/docs-check.$$"; then
	echo "docs/design.md's quote of module/ktlife.h's DOC block drifted (scripts/docs-check.sh --fix):"
	cat "${TMPDIR:-/tmp}/docs-check.$$"
	status=1
fi
rm -f "${TMPDIR:-/tmp}/docs-check.$$"

# The cases the binaries list: the TEST column of "-l", found where its
# header line puts it (a fixture's variants repeat no test name).
listed()
{
	local t

	for t in $(make -s --no-print-directory -C "$top/selftests" \
			KSFT_DIR="$ksft" COLLECTION=ktlife emit_tests |
		   sed -n 's/^ktlife://p'); do
		"$top/selftests/$t" -l 2>&1 | awk '
			/^# FIXTURE/ { col = index($0, "TEST"); next }
			/^-+$/ { next }
			col && length($0) >= col {
				name = substr($0, col)
				gsub(/ /, "", name)
				if (name != "")
					print name
			}'
	done | sort -u
}

documented()
{
	sed -n 's/^| `\([a-z_0-9]*\)` |.*/\1/p' "$testing" | sort -u
}

ksft=$("$top/scripts/ksrc.sh" 6.12)/tools/testing/selftests
make -s -C "$top/selftests" KSFT_DIR="$ksft" >/dev/null ||
	die "the selftests do not build"
if ! diff -u <(listed) <(documented) >"${TMPDIR:-/tmp}/docs-check.$$"; then
	echo "docs/testing.md's tests and the binaries' cases differ (- only in the binaries, + only in the docs):"
	cat "${TMPDIR:-/tmp}/docs-check.$$"
	status=1
fi
rm -f "${TMPDIR:-/tmp}/docs-check.$$"
exit "$status"
