#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# litmus-check.sh [TREE [LITMUS...]] - ktlife's memory-ordering claims,
# checked: every litmus test of module/litmus/ (or each LITMUS given) run
# by herd7 with the Linux-kernel memory model (LKMM) of the kernel source
# TREE (default: linux-source-6.12, scripts/ksrc.sh), through
# scripts/herd7.sh, which fetches herd7 once. docs/memory-model.md lists
# the tests and what each proves.
#
# Each test must come out as its header says: herd7's verdict, the line
# "Observation NAME Never|Sometimes|Always", must be the test's
# "Result: ..." line (the LKMM's own convention,
# tools/memory-model/Documentation/litmus-tests.txt); NAME, its "C NAME"
# line, must be its file's name; and herd7 must flag nothing (a "Flag
# data-race" line says that a plain access races). One line per test on
# stdout:
#   ok   compactor-kick: Never, as expected (0.01 s)
#   FAIL compactor-kick: Sometimes, expected Never (0.01 s)
# with herd7's output after a FAIL, then a summary line.
#
# Run without LITMUS, it also checks that the comments cannot drift: every
# module/litmus/NAME.litmus that a file of module/ names exists, and so
# does every NAME.litmus that a test's header names (a bare name: in
# module/litmus/; a path: in TREE, such as the kernel's
# Documentation/litmus-tests/rcu/RCU+sync+free.litmus).
#
# Exit status: 0 if every test is as expected and every name exists, else
# 1 (also when herd7 cannot be had).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

if [ $# -ge 1 ]; then
	tree=$1
	shift
else
	tree=$("$top/scripts/ksrc.sh" 6.12) || die "no kernel source"
fi
dir=$top/module/litmus
all=false
if [ $# -eq 0 ]; then
	all=true
	set -- "$dir"/*.litmus
	[ -f "$1" ] || die "no litmus test in $dir"
fi

# herd7 fetched here, once, outside the per-test time limit.
version=$("$top/scripts/herd7.sh" "$tree" -version) ||
	die "herd7 cannot run (above), so no litmus test can"
version=${version%%,*}
failed=0
n=0

# fail WHAT: one more failure, said on stdout.
fail()
{
	echo "FAIL $*"
	failed=$((failed + 1))
}

for f in "$@"; do
	name=${f##*/}
	name=${name%.litmus}
	n=$((n + 1))
	expected=$(sed -n 's/^[[:space:]]*\*[[:space:]]*Result:[[:space:]]*\([A-Za-z]*\).*/\1/p' \
		"$f" | head -n 1)
	case $expected in
	Never | Sometimes | Always) ;;
	*)
		fail "$name: no \"Result: Never|Sometimes|Always\" line in its header"
		continue
		;;
	esac
	if [ "$(sed -n '1s/^C[[:space:]]\{1,\}\([^[:space:]]*\).*/\1/p' "$f")" != "$name" ]; then
		fail "$name: its first line is not \"C $name\""
		continue
	fi
	if ! out=$(timeout 300 "$top/scripts/herd7.sh" "$tree" "$f" 2>&1); then
		fail "$name: herd7 failed"
		printf '%s\n' "$out" | sed 's/^/    /'
		continue
	fi
	got=$(printf '%s\n' "$out" | awk -v n="$name" '$1 == "Observation" && $2 == n { print $3 }')
	secs=$(printf '%s\n' "$out" | awk -v n="$name" '$1 == "Time" && $2 == n { print $3 }')
	flags=$(printf '%s\n' "$out" | sed -n 's/^Flag //p' | tr '\n' ' ')
	if [ -z "$got" ]; then
		fail "$name: no verdict from herd7"
		printf '%s\n' "$out" | sed 's/^/    /'
	elif [ "$got" != "$expected" ]; then
		fail "$name: $got, expected $expected (${secs:-?} s)"
		printf '%s\n' "$out" | sed 's/^/    /'
	elif [ -n "$flags" ]; then
		fail "$name: $got, as expected, but herd7 flags ${flags% } (${secs:-?} s)"
		printf '%s\n' "$out" | sed 's/^/    /'
	else
		echo "ok   $name: $got, as expected (${secs:-?} s)"
	fi
done

if $all; then
	# Names in module/'s code and the tests' headers, one per line.
	while read -r ref; do
		[ -f "$top/$ref" ] ||
			fail "$ref, named in a comment of module/, does not exist"
	done < <(grep -rhoIE 'module/litmus/[a-z0-9+_.-]*\.litmus' \
		--exclude-dir=litmus "$top/module" | sort -u)
	while read -r ref; do
		case $ref in
		*/*) [ -f "$tree/$ref" ] ||
			fail "$ref, named in a test's header, is not in $tree" ;;
		*) [ -f "$dir/$ref" ] ||
			fail "$ref, named in a test's header, is not in module/litmus/" ;;
		esac
	done < <(grep -hoE '[A-Za-z0-9/+_.-]+\.litmus' "$dir"/*.litmus |
		sed 's|^module/litmus/||' | sort -u)
fi

tests="$n tests"
[ "$n" -ne 1 ] || tests="1 test"
if [ "$failed" -eq 0 ]; then
	echo "$tests, each as expected (herd7 $version, LKMM of ${tree##*/})"
else
	echo "$failed failed, of $tests and the names they use (herd7 $version, LKMM of ${tree##*/})"
	exit 1
fi
