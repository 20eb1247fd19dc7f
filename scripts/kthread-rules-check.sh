#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kthread-rules-check.sh - the self-test of ktlife's kthread rules
# (scripts/coccinelle/kthread/), run by "make lint": every rule over its
# fixtures and over ktlife's module/, through scripts/kthread-lint.sh as a
# user would run it. It holds if and only if:
#   - every rule has a pitfall fixture (tests/RULE.bad.c) and its fixed
#     twin (tests/RULE.good.c);
#   - each fixture line marked "/* expect: RULE */" gets a RULE finding,
#     and no other fixture line gets any finding from any rule (so a fixed
#     fixture is silent, and one rule's fixture does not trip another);
#   - module/first/ktlife_first.c with its get_task_struct() and
#     put_task_struct() deleted is a kthread_stop_no_ref ERROR at the
#     ticker's early return: the lesson's own shape is seen;
#   - module/ (every .c and .h under it) has no finding but those that
#     scripts/coccinelle/kthread/ktlife.exclude lists, ktlife's deliberate
#     bugs, and each of those is found exactly once: an entry cannot go
#     stale, nor a rule stop seeing ktlife's own bug.
# One line per check; a difference is printed on failure. About 10 s
# (spatch starts in a second or two; two at a time).
# Exit status: 0 if everything holds, 1 if not.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

rules=$top/scripts/coccinelle/kthread
tests=$rules/tests
exclude=$rules/ktlife.exclude

command -v spatch >/dev/null ||
	die "spatch not found: apt-get install coccinelle (scripts/deps.sh)"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kthread-rules.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$tmp"' EXIT
status=0

# ok COND-STATUS TEXT: one line of the report.
ok()
{
	if [ "$1" -eq 0 ]; then
		echo "ok: $2"
	else
		echo "FAILED: $2"
		status=1
	fi
}

spatch --version | head -n 1

# Every rule has its two fixtures.
nrules=0
missing=0
for rule in "$rules"/*.cocci; do
	name=$(basename "$rule" .cocci)
	nrules=$((nrules + 1))
	for kind in bad good; do
		if [ ! -f "$tests/$name.$kind.c" ]; then
			echo "missing fixture: tests/$name.$kind.c"
			missing=1
		fi
	done
done
[ "$nrules" -gt 0 ] || die "no rules in $rules"
ok "$missing" "$nrules rules, each with a .bad.c and a .good.c fixture"

# One lint run over copies of the fixtures and of module/, so that spatch
# starts once per rule. The paths are then made relative again.
mkdir -p "$tmp/src/tests" "$tmp/src/module" "$tmp/src/noref"
cp "$tests"/*.c "$tmp/src/tests/"
(cd "$top/module" && find . -name '*.[ch]' -exec cp --parents {} "$tmp/src/module/" \;)
# The level-0 module without its task reference: the lesson's own shape
# must be the ERROR it then is (the ticker returns after its ticks).
grep -vE '^[[:space:]]*(get|put)_task_struct\(ticker\); /\*' \
	"$top/module/first/ktlife_first.c" >"$tmp/src/noref/ktlife_first.c"
rc=0
"$top/scripts/kthread-lint.sh" -j 2 "$tmp/src" >"$tmp/found" 2>"$tmp/lint.err" || rc=$?
if [ "$rc" -gt 1 ] || grep -v '^kthread-lint.sh: [0-9]* rules, ' "$tmp/lint.err" |
	grep -q .; then
	cat "$tmp/lint.err"
	ok 1 "kthread-lint.sh ran cleanly (exit $rc)"
	exit 1
fi
sed -i "s|^$tmp/src/||" "$tmp/found"

# The fixtures: "FILE:LINE RULE" wanted and found.
for f in "$tests"/*.c; do
	{ grep -n -o '/\* expect: [a-z_0-9]* \*/' "$f" || true; } |
		sed -E "s|^([0-9]+):/\\* expect: ([a-z_0-9]+) \\*/|tests/${f##*/}:\\1 \\2|"
done | sort -u >"$tmp/want"
{ grep '^tests/' "$tmp/found" || true; } |
	sed -E 's/^([^:]+):([0-9]+):.* \[([a-z_0-9]+)\]$/\1:\2 \3/' |
	sort -u >"$tmp/got"
nwant=$(wc -l <"$tmp/want")
if diff -u --label wanted --label found "$tmp/want" "$tmp/got" >"$tmp/diff"; then
	ok 0 "fixtures: $nwant expected findings, each found, nothing else"
else
	cat "$tmp/diff"
	ok 1 "fixtures: expected findings (-) and findings (+) differ"
fi
for rule in "$rules"/*.cocci; do
	name=$(basename "$rule" .cocci)
	n=$(grep -c " $name\$" "$tmp/want" || true)
	[ "$n" -gt 0 ] || {
		echo "tests/$name.bad.c expects no $name finding"
		ok 1 "every rule fires on its fixture"
	}
done

# module/first/ without its reference: kthread_stop_no_ref, at the
# ticker's return after its ticks.
ret=$(grep -n 'if (nr_ticks == ticks)' -A1 "$tmp/src/noref/ktlife_first.c" |
	sed -n 's/^\([0-9]*\)-[[:space:]]*return 0;$/\1/p')
if grep -q "^noref/ktlife_first.c:$ret:.*ERROR: ticker_fn(): .*\[kthread_stop_no_ref\]\$" "$tmp/found"; then
	ok 0 "module/first/ with its get_task_struct()/put_task_struct() deleted: an ERROR at the ticker's return (line $ret)"
else
	grep '^noref/' "$tmp/found" || true
	ok 1 "module/first/ with its reference deleted must be a kthread_stop_no_ref ERROR at line ${ret:-?}"
fi

# module/: the deliberate bugs, once each, and nothing else.
grep -v '^[[:space:]]*#' "$exclude" | awk 'NF >= 3 { print $1, $2, $3 }' |
	sort >"$tmp/excl-want"
{ grep '^module/' "$tmp/found" || true; } |
	sed -nE 's/^([^:]+):[0-9]+:[0-9]+-[0-9]+: (ERROR|WARNING): ([A-Za-z_0-9]+)\(\): .* \[([a-z_0-9]+)\]$/\4 \1 \3/p' |
	sort >"$tmp/excl-got"
nmod=$(grep -c '^module/' "$tmp/found" || true)
if [ "$nmod" -eq "$(wc -l <"$tmp/excl-got")" ] &&
	diff -u --label "ktlife.exclude" --label "found in module/" \
		"$tmp/excl-want" "$tmp/excl-got" >"$tmp/diff"; then
	ok 0 "module/: clean but for its $(wc -l <"$tmp/excl-want") deliberate bugs (ktlife.exclude), each found once"
else
	cat "$tmp/diff" 2>/dev/null || true
	grep '^module/' "$tmp/found" || true
	ok 1 "module/: findings differ from ktlife.exclude"
fi
exit "$status"
