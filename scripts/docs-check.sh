#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# docs-check.sh [--fix] - one source per fact: the docs may quote the code,
# never drift from it. Each check prints the difference on failure:
#   - docs/design.md quotes the kernel-doc "DOC: lifetimes and locks" block
#     of module/ktlife.h between its BEGIN and END markers, word for word;
#     --fix rewrites the quote from the code.
#   - docs/testing.md has one row per selftest case, named as in its first
#     column (`name`), and the selftest binaries, listing their cases with
#     kselftest_harness.h's -l, have exactly those cases.
#   - every C block of README.md and docs/ names its source (file and
#     function, ours or the kernel's) and is an excerpt of it
#     (scripts/quote-check.py).
#   - the demo output in README.md and docs/ is that of the steps of
#     qemu/guest/demo.sh as they are today (scripts/demo-docs.py);
#   - a command's output after "<!-- output CMD ARG... as PATH -->" is
#     what the command prints today (kthread-lint's example, say).
#   - docs/diagrams/*.svg are what graphviz renders of their .dot today
#     ("make docs" renders them; --fix too), and the states of the writer's
#     diagram are enum ktlife_writer_state's.
#   - the mutants: every mutant of selftests/mutants.list is in the code
#     (KTLIFE_MUTANT(NAME), or MUTANT(NAME) in module/first/) and every one
#     in the code is in the list; each belongs to a row of the pitfalls
#     table, each row has one; each has its exercise in docs/exercises.md
#     and its row in docs/testing.md's mutants table.
# Exit status: 0 if all hold.
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

# The tests table: the rows before the pitfalls.
documented()
{
	sed -n '/^## Pitfalls/q; s/^| `\([a-z_0-9]*\)` |.*/\1/p' "$testing" |
		sort -u
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

# Quoted code, ours and the kernel's.
python3 "$top/scripts/quote-check.py" "$("$top/scripts/ksrc.sh" 6.12)" \
	"$top/README.md" "$top"/docs/*.md >"${TMPDIR:-/tmp}/docs-check.$$" ||
	{ cat "${TMPDIR:-/tmp}/docs-check.$$"; status=1; }
rm -f "${TMPDIR:-/tmp}/docs-check.$$"

# Command output shown in the docs: a ``` block after a marker
# "<!-- output CMD ARG... as PATH -->" is what CMD ARG... prints (stdout and
# stderr, run from the top of the tree) today, with ARG's last path shown
# as PATH (the docs run it from a copy elsewhere).
output_blocks()
{
	local doc cmd shown want got

	for doc in "$top/README.md" "$top"/docs/*.md; do
		grep -n '^<!-- output .* as .* -->$' "$doc" | while IFS= read -r m; do
			line=${m%%:*}
			cmd=$(sed -E 's/^[0-9]+:<!-- output (.*) as [^ ]+ -->$/\1/' <<<"$m")
			shown=$(sed -E 's/^[0-9]+:<!-- output .* as ([^ ]+) -->$/\1/' <<<"$m")
			want=$(sed -n "$((line + 2)),\$p" "$doc" | sed '/^```$/,$d')
			# shellcheck disable=SC2086 # CMD ARG..., as the marker has them
			got=$(cd "$top" && $cmd 2>&1 | sed "s|${cmd##* }|$shown|g")
			if [ "$want" != "$got" ]; then
				echo "${doc#"$top"/}:$line: the output of \"$cmd\" is no longer what the doc shows:"
				diff <(echo "$want") <(echo "$got") | grep '^[<>]'
				echo fail
			fi
		done
	done
}
if output_blocks | tee "${TMPDIR:-/tmp}/docs-check.$$" | grep -qx fail; then
	grep -vx fail "${TMPDIR:-/tmp}/docs-check.$$"
	status=1
fi
rm -f "${TMPDIR:-/tmp}/docs-check.$$"

# The demo output: titles and commands still those of qemu/guest/demo.sh.
python3 "$top/scripts/demo-docs.py" "$top/README.md" "$top"/docs/*.md ||
	status=1

# The diagrams: rendered from their sources, and true to the enum.
for dot in "$top"/docs/diagrams/*.dot; do
	svg=${dot%.dot}.svg
	if $fix; then
		dot -Tsvg "$dot" -o "$svg"
	elif ! dot -Tsvg "$dot" | cmp -s - "$svg"; then
		echo "${svg#"$top"/} is stale: make docs renders it from ${dot#"$top"/}"
		status=1
	fi
done
states=$(sed -n 's/^[[:space:]]*KTLIFE_WRITER_\([A-Z]*\),$/\1/p' \
	"$top/module/ktlife.h" | sort -u)
drawn=$(grep -oE '^[[:space:]]*[A-Z]+ \[' "$top/docs/diagrams/writer-states.dot" |
	tr -d ' \t[' | sort -u)
if [ "$states" != "$drawn" ]; then
	echo "docs/diagrams/writer-states.dot draws $(echo $drawn), enum ktlife_writer_state has $(echo $states)"
	status=1
fi

# The mutants.
list=$top/selftests/mutants.list
listed_mutants=$(sed -n 's/^mutant \([a-z0-9_]*\)$/\1/p' "$list" | sort)
coded_mutants=$( {
	grep -ho 'KTLIFE_MUTANT([A-Z0-9_]*)' "$top"/module/*.c |
		sed 's/KTLIFE_MUTANT(\(.*\))/\1/'
	grep -ho '\bMUTANT([A-Z0-9_]*)' "$top"/module/first/*.c |
		sed 's/MUTANT(\(.*\))/FIRST_\1/'
	} | tr 'A-Z' 'a-z' | sort -u)
if [ "$listed_mutants" != "$coded_mutants" ]; then
	echo "selftests/mutants.list and the code's KTLIFE_MUTANT() differ (< list, > code):"
	diff <(echo "$listed_mutants") <(echo "$coded_mutants") | grep '^[<>]'
	status=1
fi
pitfalls=$(sed -n '/^## Pitfalls/,/^## /s/^| \([^|]*\) |.*/\1/p' "$testing" |
	tr -d '`' | sed 's/[[:space:]]*$//' | grep -vE '^(pitfall|---)')
mutant_pitfalls=$(sed -n 's/^[[:space:]]*pitfall \(.*\)$/\1/p' "$list" | sort -u)
while IFS= read -r p; do
	grep -qxF -- "$p" <<<"$pitfalls" || {
		echo "selftests/mutants.list: pitfall \"$p\" is no row of docs/testing.md's pitfalls table"
		status=1
	}
done <<<"$mutant_pitfalls"
while IFS= read -r p; do
	grep -qxF -- "$p" <<<"$mutant_pitfalls" || {
		echo "docs/testing.md: pitfall \"$p\" has no mutant in selftests/mutants.list"
		status=1
	}
done <<<"$pitfalls"
for m in $listed_mutants; do
	grep -qF "**\`$m\`**" "$top/docs/exercises.md" || {
		echo "docs/exercises.md has no exercise for the mutant $m"
		status=1
	}
done
table_mutants=$(sed -n '/^<!-- BEGIN mutants/,/^<!-- END mutants/s/^| `\([a-z0-9_]*\)` |.*/\1/p' \
	"$testing" | sort)
if [ "$listed_mutants" != "$table_mutants" ]; then
	echo "docs/testing.md's mutants table is not the list's (make mutants writes it):"
	diff <(echo "$listed_mutants") <(echo "$table_mutants") | grep '^[<>]'
	status=1
fi
exit "$status"
