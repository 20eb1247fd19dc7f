#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kthread-audit.sh [--out DIR] [--version V] [SUBDIR...] - ktlife's kthread
# rules (scripts/coccinelle/kthread/*.cocci) over the Debian kernel tree
# that scripts/ksrc.sh extracts from linux-source-V (default 6.12), as
# docs/audit.md reports them. Opt-in ("make kthread-audit"), not part of
# "make check": it takes minutes.
#
# The tree's SUBDIRs (default: drivers kernel fs mm net lib sound block
# crypto security virt io_uring arch) are first narrowed with grep to the
# .c and .h files that name the kthread API (creation, kthread_stop(),
# kthread_should_stop()); each rule then runs over that list with spatch
# -j 2, every file on its own, with a per-file timeout. Nothing is written
# into the tree: paths in the findings are relative to it.
#
# Writes into DIR (default build/audit/ for 6.12, build/audit-V/ for
# another V): files.txt (the files scanned), RULE.txt (each rule's
# findings, kthread-lint.sh's format), RULE.err (spatch's messages:
# timeouts, parse trouble), findings.txt (all of them, sorted),
# summary.txt (the tree, the rules' commit; per rule: findings, errors,
# warnings, wall time; and the total, which it also prints) and table.md
# (scripts/audit-table.py: the counts of the verdicts of
# docs/audit-verdicts.tsv, and the findings that have none).
# Exit status: 0 if every rule ran (findings or not), 1 if not.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

out=
ver=6.12
while [ $# -gt 0 ]; do
	case $1 in
	--out)
		out=${2:?--out DIR}
		shift 2
		;;
	--version)
		ver=${2:?--version V, e.g. 6.12}
		shift 2
		;;
	*) break ;;
	esac
done
if [ -z "$out" ]; then
	out=${KTLIFE_BUILD:-$top/build}/audit
	[ "$ver" = 6.12 ] || out=$out-$ver
fi
[ $# -gt 0 ] ||
	set -- drivers kernel fs mm net lib sound block crypto security virt \
		io_uring arch
rules=$top/scripts/coccinelle/kthread
jobs=2
timeout=120

command -v spatch >/dev/null ||
	die "spatch not found: apt-get install coccinelle (scripts/deps.sh)"
src=$("$top/scripts/ksrc.sh" "$ver") || die "no kernel source $ver"
mkdir -p "$out"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kthread-audit.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$tmp"' EXIT

now()
{
	date +%s.%N
}

# since T0: seconds from T0 to now, one decimal.
since()
{
	awk -v t0="$1" -v t1="$(now)" 'BEGIN { printf "%.1f", t1 - t0 }'
}

# The last commit of the rules, and whether the working tree changes them.
rules_commit()
{
	local c

	c=$(git -C "$top" log -1 --format=%h -- scripts/coccinelle/kthread \
		2>/dev/null) || c=
	[ -n "$c" ] || {
		echo "unknown (not a git checkout)"
		return
	}
	if git -C "$top" diff --quiet HEAD -- scripts/coccinelle/kthread; then
		echo "$c"
	else
		echo "$c + uncommitted changes"
	fi
}

# The prefilter: files that name the kthread API at all.
start=$(now)
api='\<kthread_(run|create|create_on_node|create_on_cpu|run_on_cpu|create_worker|create_worker_on_cpu|stop|stop_put|should_stop|freezable_should_stop)\>'
(cd "$src" && grep -rlE --include='*.[ch]' "$api" "$@" | sort) >"$out/files.txt" ||
	die "grep found no file of the kthread API in $*"
nfiles=$(wc -l <"$out/files.txt")
# One file group per file: each file is analysed on its own.
sed "s|^|$src/|; s|\$|\\n|" "$out/files.txt" >"$tmp/groups"
say "$nfiles files of $* name the kthread API ($(since "$start") s)"

# The rules' shared Python (lib/), as kthread-lint.sh gives it.
export PYTHONPATH="$rules/lib${PYTHONPATH:+:$PYTHONPATH}"
status=0
{
	echo "kthread rules over $(basename "$src"): $*"
	echo "rules: $(rules_commit)"
	spatch --version | head -n 1
	echo "$nfiles files (grep prefilter), spatch -j $jobs, --timeout $timeout"
	echo
	printf '%-28s %8s %6s %8s %9s\n' rule findings errors warnings wall_s
} >"$out/summary.txt"
total_start=$(now)
for rule in "$rules"/*.cocci; do
	name=$(basename "$rule" .cocci)
	t0=$(now)
	rc=0
	spatch -D report --very-quiet --no-includes --include-headers \
		--jobs "$jobs" --chunksize 1 --timeout "$timeout" \
		--tmp-dir "$tmp/par.$name" --cocci-file "$rule" \
		--file-groups "$tmp/groups" >"$tmp/$name.out" \
		2>"$out/$name.err" || rc=$?
	secs=$(since "$t0")
	if [ "$rc" -ne 0 ]; then
		warn "$name: spatch exited with $rc (see $out/$name.err)"
		status=1
	fi
	{ grep -E '^[^:]+:[0-9]+:[0-9]+-[0-9]+: (ERROR|WARNING): ' \
		"$tmp/$name.out" || true; } |
		sed "s|^$src/||; s|\$| [$name]|" |
		sort -t: -k1,1 -k2,2n -u >"$out/$name.txt"
	n=$(wc -l <"$out/$name.txt")
	ne=$(grep -c ': ERROR: ' "$out/$name.txt" || true)
	printf '%-28s %8s %6s %8s %9s\n' "$name" "$n" "$ne" "$((n - ne))" \
		"$secs" >>"$out/summary.txt"
	say "$name: $n findings in $secs s"
done
total=$(since "$total_start")
sort -t: -k1,1 -k2,2n "$out"/kthread_*.txt >"$out/findings.txt"
{
	printf '%-28s %8s %6s %8s %9s\n' total "$(wc -l <"$out/findings.txt")" \
		"$(grep -c ': ERROR: ' "$out/findings.txt" || true)" \
		"$(grep -vc ': ERROR: ' "$out/findings.txt" || true)" "$total"
	echo
	echo "timeouts: $(cat "$out"/*.err | grep -ci 'timeout' || true)"
} >>"$out/summary.txt"
cat "$out/summary.txt"
# The verdicts: a table, and the findings that have none (never fatal here:
# a rule that changes makes new findings before they are read).
if "$top/scripts/audit-table.py" "$out/findings.txt" >"$out/table.md"; then
	triaged=$(grep -E 'untriaged finding|Every finding' "$out/table.md")
	say "verdicts: $out/table.md: $triaged"
else
	warn "scripts/audit-table.py failed"
fi
exit "$status"
