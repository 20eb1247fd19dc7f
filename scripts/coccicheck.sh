#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# coccicheck.sh KSRC [DIR] - the kernel's own "make coccicheck MODE=report
# M=DIR" (every SmPL script of KSRC/scripts/coccinelle, run by Debian's
# spatch) over DIR, default module/. Fails on any report about a file of
# DIR, and on anything that would let it pass without having looked: no
# spatch, a spatch that fails, fewer rules run than the tree has, or
# spatch output it does not know.
#
# coccicheck needs no configured tree (it is one of the kernel Makefile's
# no-.config targets) and no O=; it writes nothing into KSRC as long as
# spatch's parallel workers get a --tmp-dir of their own (by default they
# create their directories in the current directory, which make -C sets
# to KSRC). SPFLAGS, the documented override, also replaces the tree's
# .cocciconfig --use-gitgrep: in a git work tree "git grep" skips files
# that are not committed yet, and outside of one it fails and falls back
# noisily. Reports go to stdout, spatch's own messages to DEBUG_FILE.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

case $# in
1 | 2) ;;
*) die "usage: coccicheck.sh KSRC [DIR]" ;;
esac
ksrc=$1
dir=$(realpath "${2:-$top/module}") || die "no directory ${2:-}"
rules=$ksrc/scripts/coccinelle

[ -f "$ksrc/scripts/coccicheck" ] || die "no scripts/coccicheck in $ksrc"
command -v spatch >/dev/null ||
	die "spatch not found: apt-get install coccinelle (scripts/deps.sh)"
# Two of the kernel's rules are OCaml scripts, which spatch compiles.
if grep -qr 'script:ocaml' "$rules" && ! command -v ocamlopt >/dev/null; then
	die "spatch needs ocamlopt for the OCaml rules of $rules: apt-get install ocaml"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ktlife-cocci.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$tmp"' EXIT
case "$tmp$dir" in
*[[:space:]]*) die "coccicheck splits its options on blanks: $tmp, $dir" ;;
esac

spatch --version | head -n 1
echo "make -s -C $ksrc M=$dir coccicheck MODE=report V=0" \
	"DEBUG_FILE=$tmp/spatch.err SPFLAGS='--use-coccigrep --tmp-dir $tmp/par'"
# DEBUG_FILE must not exist beforehand: coccicheck exits 0 if it does.
make -s -C "$ksrc" M="$dir" coccicheck MODE=report V=0 \
	DEBUG_FILE="$tmp/spatch.err" \
	SPFLAGS="--use-coccigrep --tmp-dir $tmp/par" >"$tmp/report" 2>&1
rc=$?
status=0
[ "$rc" -eq 0 ] || {
	echo "coccicheck: make coccicheck exited with $rc"
	status=1
}

# Reports name the file first; those about DIR are ours (7.x names them
# relative to M=, "./file.c:6:").
findings=$(grep -E "^(${dir//./\\.}/|\./)[^ ]*:[0-9]+:" "$tmp/report")
if [ -n "$findings" ]; then
	echo "$findings"
	echo "coccicheck: $(wc -l <<<"$findings") report(s) on $dir"
	status=1
fi
# The rest of stdout is coccicheck's own banner and rules it skips
# because this spatch is too old for them.
other=$(grep -vE "^(${dir//./\\.}/|\./)[^ ]*:[0-9]+:" "$tmp/report" | grep -vE \
	'^$|^Please check for false positives|^When using "patch" mode|^Skipping coccinelle SmPL patch|^You have coccinelle|^This SmPL patch requires|^warning: Skipping .* as it does not match mode')
if [ -n "$other" ]; then
	echo "$other"
	echo "coccicheck: unexpected output (above)"
	status=1
fi
# spatch's stderr: the command lines coccicheck logs, how many files a
# rule's tokens matched, and warnings about the kernel's own SmPL files.
# Anything else (a parse error, a timeout, a missing compiler) fails.
if [ -f "$tmp/spatch.err" ]; then
	other=$(grep -vE \
		'^/[^ ]*spatch -D report |^[0-9]+ files? match$|^warning: line [0-9]+: should [A-Za-z0-9_]+ be a metavariable\?$' \
		"$tmp/spatch.err")
	if [ -n "$other" ]; then
		echo "$other"
		echo "coccicheck: unexpected spatch messages (above)"
		status=1
	fi
fi

# Every rule of the tree ran, but those this spatch is too old for, and
# (7.x) those that have no report mode.
total=$(find "$rules" -name '*.cocci' -type f | wc -l)
skipped=$(grep -c '^Skipping coccinelle SmPL patch' "$tmp/report")
nomode=$(grep -c "^warning: Skipping .* as it does not match mode" "$tmp/report")
ran=$(grep -cE '^/[^ ]*spatch -D report ' "$tmp/spatch.err" 2>/dev/null)
ran=${ran:-0}
skipped=$((skipped + nomode))
echo "coccicheck: $ran of $total rules run, $skipped skipped (spatch too old: $((skipped - nomode)); no report mode: $nomode)"
if [ "$ran" -ne $((total - skipped)) ] || [ "$total" -eq 0 ]; then
	echo "coccicheck: expected $((total - skipped)) rules to run"
	status=1
fi

# A canary: one rule over a file it must flag, so that a spatch that runs
# and reports nothing at all cannot pass for a clean one (about 1 s).
mkdir "$tmp/canary"
printf '%s\n' '#include <linux/slab.h>' '' 'void canary(void *p)' '{' \
	'	if (p)' '		kfree(p);' '}' >"$tmp/canary/canary.c"
make -s -C "$ksrc" M="$tmp/canary" coccicheck MODE=report V=0 \
	COCCI="$rules/free/ifnullfree.cocci" DEBUG_FILE="$tmp/canary.err" \
	SPFLAGS="--use-coccigrep --tmp-dir $tmp/par" >"$tmp/canary.out" 2>&1
if ! grep -qE "^($tmp/canary/|\./)canary\.c:6:" "$tmp/canary.out"; then
	cat "$tmp/canary.out" "$tmp/canary.err"
	echo "coccicheck: free/ifnullfree.cocci did not flag the canary"
	status=1
fi
exit "$status"
