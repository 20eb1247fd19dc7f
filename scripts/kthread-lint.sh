#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kthread-lint.sh [-j N] [--exclude FILE] PATH... - ktlife's kthread rules
# (every SmPL script of scripts/coccinelle/kthread/, in Coccinelle's report
# mode) over the C files (.c and .h) of each PATH, a directory or a file,
# anywhere: the code need not be ktlife's, build, or have a kernel tree.
# Each rule analyses one file at a time, as the kernel's coccicheck does.
#
# Findings go to stdout in the kernel's coccicheck format, sorted, with the
# rule's name last:
#   path:line:col-col: ERROR|WARNING: function(): message [rule]
# each rule's header (scripts/coccinelle/kthread/RULE.cocci) says what it
# finds, why it is a bug, the fix and its known false positives. Paths are
# printed as given. -j N runs up to N spatch processes at once (default 1;
# one per rule and PATH, each single-threaded: spatch starts in a second or
# two, which is most of the time on a small directory).
#
# --exclude FILE: findings to leave out, one per line, "RULE PATH FUNCTION
# REASON", PATH matching the end of the finding's path; "#" starts a
# comment. Excluded findings are listed on stderr with their reason, not
# counted. ktlife's own deliberate bugs are in
# scripts/coccinelle/kthread/ktlife.exclude.
#
# Exit status: 1 if there is an ERROR finding, else 0 (WARNINGs are shown
# but do not fail: they are the rules' less certain reports); 2 if the
# lint itself could not run (no spatch, a rule that fails, a bad PATH).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

rules=$top/scripts/coccinelle/kthread
jobs=1
exclude=

# Not die(): its exit status, 1, means "errors found" here.
fail()
{
	echo "${0##*/}: error: $*" >&2
	exit 2
}

usage()
{
	fail "usage: kthread-lint.sh [-j N] [--exclude FILE] PATH..."
}

while [ $# -gt 0 ]; do
	case $1 in
	-j)
		[ $# -ge 2 ] || usage
		jobs=$2
		shift 2
		;;
	-j[0-9]*)
		jobs=${1#-j}
		shift
		;;
	--exclude)
		[ $# -ge 2 ] || usage
		exclude=$2
		shift 2
		;;
	--)
		shift
		break
		;;
	-*) usage ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || usage
case $jobs in
'' | *[!0-9]* | 0) usage ;;
esac
[ -z "$exclude" ] || [ -f "$exclude" ] || fail "no exclusion file $exclude"
for p in "$@"; do
	[ -e "$p" ] || fail "no such file or directory: $p"
done
command -v spatch >/dev/null ||
	fail "spatch not found: apt-get install coccinelle (scripts/deps.sh)"

# The rules' shared Python (the paths of a thread function, the tasks of
# a file) lives beside them, in lib/.
export PYTHONPATH="$rules/lib${PYTHONPATH:+:$PYTHONPATH}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kthread-lint.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# run_rule N RULE PATH: one spatch run, into $tmp/N.{out,err,rc}.
run_rule()
{
	local n=$1 rule=$2 p=$3 target rc=0

	if [ -d "$p" ]; then
		target=(--dir "$p")
	else
		target=("$p")
	fi
	spatch -D report --very-quiet --no-includes --include-headers \
		--tmp-dir "$tmp/par.$n" --cocci-file "$rule" "${target[@]}" \
		>"$tmp/$n.out" 2>"$tmp/$n.err" || rc=$?
	echo "$rc" >"$tmp/$n.rc"
}

# Every rule over every PATH, up to $jobs spatch runs at a time.
runs=()
n=0
for rule in "$rules"/*.cocci; do
	for p in "$@"; do
		while [ "$(jobs -pr | wc -l)" -ge "$jobs" ]; do
			wait -n || true
		done
		run_rule "$n" "$rule" "$p" &
		runs+=("$rule|$p")
		n=$((n + 1))
	done
done
wait
nrules=$(find "$rules" -maxdepth 1 -name '*.cocci' | wc -l)
[ "$nrules" -gt 0 ] || fail "no rules in $rules"

# Findings only, "path:line:col-col: SEVERITY: ...", tagged with the rule;
# spatch's own messages go to stderr.
: >"$tmp/all"
for n in "${!runs[@]}"; do
	rule=${runs[$n]%%|*}
	p=${runs[$n]#*|}
	name=$(basename "$rule" .cocci)
	if [ "$(cat "$tmp/$n.rc")" -ne 0 ]; then
		cat "$tmp/$n.err" >&2
		fail "spatch failed: $name on $p"
	fi
	if [ -s "$tmp/$n.err" ]; then
		sed "s/^/${0##*/}: $name: spatch: /" "$tmp/$n.err" >&2
	fi
	grep -E '^[^:]+:[0-9]+:[0-9]+-[0-9]+: (ERROR|WARNING): ' \
		"$tmp/$n.out" | sed "s/\$/ [$name]/" >>"$tmp/all" || true
done

# exclusion RULE PATH FUNCTION: the reason, if a line of --exclude says so.
excluded()
{
	[ -n "$exclude" ] || return 1
	awk -v rule="$1" -v path="$2" -v fn="$3" '
		{ sub(/#.*/, "") }
		NF >= 3 && $1 == rule && $3 == fn &&
		(path == $2 || substr(path, length(path) - length($2)) == "/" $2) {
			$1 = $2 = $3 = ""; sub(/^ +/, ""); print; found = 1; exit
		}
		END { exit !found }' "$exclude"
}

errors=0
warnings=0
skipped=0
sort -t: -k1,1 -k2,2n -u "$tmp/all" >"$tmp/sorted"
while IFS= read -r line; do
	path=${line%%:*}
	rule=${line##*\[}
	rule=${rule%]}
	fn=$(sed -nE 's/^[^:]+:[0-9]+:[0-9]+-[0-9]+: (ERROR|WARNING): ([A-Za-z_][A-Za-z0-9_]*)\(\): .*/\2/p' <<<"$line")
	if reason=$(excluded "$rule" "$path" "$fn"); then
		say "excluded ($reason): $line"
		skipped=$((skipped + 1))
		continue
	fi
	echo "$line"
	case $line in
	*": ERROR: "*) errors=$((errors + 1)) ;;
	*) warnings=$((warnings + 1)) ;;
	esac
done <"$tmp/sorted"

say "$nrules rules, $errors error(s), $warnings warning(s)," \
	"$skipped excluded"
[ "$errors" -eq 0 ]
