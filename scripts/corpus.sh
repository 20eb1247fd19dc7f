#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# corpus.sh [--static] [--vm KERNEL]... [--docs] - "make corpus": ktlife's
# tools measured on the kthread bug corpus (selftests/corpus/, one pitfall
# in one code shape per pair of modules, each with its fixed twin; its
# corpus.list says what each tool must see). Without options: the static
# part and the VM part on the stock and the debug kernel.
#
#   --static   kthread-lint over every corpus file: per rule, the bad files
#              it flags and the good twins any rule flags
#   --vm K     every corpus module built for kernel K (qemu/kernels.sh) and
#              run the way make vm-run runs a module (insmod, rmmod, under
#              ktleak, unloads timed by PID 1, the kernel log judged), many
#              modules a boot (qemu/guest/corpus.sh), a new boot only after
#              one that left the kernel unusable (a crash, a stuck unload)
#   --docs     also write the tables into docs/corpus.md, between its
#              markers
#
# Output: TAP, one line per rule and one per pair and kernel, each table
# as TAP comments, each part's time as "# phase". Exit status: the number
# of lines that failed.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"
# shellcheck source=qemu/kernels.sh
. "$top/qemu/kernels.sh"

corpus=$top/selftests/corpus
list=$corpus/corpus.list
out=$KTLIFE_BUILD/corpus
do_static=false
docs=false
vms=()
while [ $# -gt 0 ]; do
	case "$1" in
	--static) do_static=true; shift ;;
	--vm) vms+=("${2:?--vm KERNEL}"); shift 2 ;;
	--docs) docs=true; shift ;;
	*) die "usage: corpus.sh [--static] [--vm KERNEL]... [--docs]" ;;
	esac
done
if ! $do_static && [ ${#vms[@]} -eq 0 ]; then
	do_static=true
	vms=(stock debug)
fi
mkdir -p "$out"
failed=0
n=0

# relay TITLE: the judge's TAP on stdin, renumbered; its table kept in
# $out/TITLE.md and shown as comments.
relay()
{
	local line table=false

	: >"$out/$1.md"
	while IFS= read -r line; do
		if [ "$line" = "# table:" ]; then
			table=true
			continue
		fi
		if $table; then
			echo "$line" >>"$out/$1.md"
			echo "# $line"
			continue
		fi
		case "$line" in
		"ok "*)
			n=$((n + 1))
			echo "ok $n ${line#ok [0-9]* }"
			;;
		"not ok "*)
			n=$((n + 1))
			failed=$((failed + 1))
			echo "not ok $n ${line#not ok [0-9]* }"
			;;
		*) echo "# $line" ;;
		esac
	done
}

# The static part: kthread-lint as a user runs it, over the whole corpus.
if $do_static; then
	t=$(date +%s)
	rc=0
	"$top/scripts/kthread-lint.sh" -j 2 "$corpus" >"$out/lint.txt" \
		2>"$out/lint.err" || rc=$?
	if [ "$rc" -gt 1 ]; then
		sed 's/^/# /' "$out/lint.err"
		n=$((n + 1))
		failed=$((failed + 1))
		echo "not ok $n corpus lint: kthread-lint.sh failed (status $rc)"
	else
		relay lint < <(python3 "$top/scripts/corpus-judge.py" static \
			"$list" "$out/lint.txt")
	fi
	echo "# phase: corpus lint: $(($(date +%s) - t)) s"
fi

# build K: the corpus modules for kernel K, out of tree, in $out/K/corpus
# with its run order ("order": every pair's bad module, then its good one).
# Not redone when the sources and the kernel are those of the last build.
build()
{
	local k=$1 src=$out/$1/src dir=$out/$1/corpus name inputs

	inputs=$(content_hash "$KDIR/Module.symvers" "$KDIR/.config" \
		$(find "$corpus" -type f | sort))
	[ "$(cat "$dir/.inputs" 2>/dev/null)" != "$inputs" ] || return 0
	rm -rf "$src" "$dir"
	mkdir -p "$src" "$dir"
	cp -R "$corpus"/. "$src/"
	make -s -C "$KDIR" M="$src" W=1 -j"$(nproc)" modules \
		>"$out/$k/build.log" 2>&1 || return 1
	while read -r name; do
		for kind in bad good; do
			cp "$src/${name}_$kind.ko" "$dir/" || return 1
			echo "${name}_$kind" >>"$dir/order"
		done
	done < <(sed -n 's/^\([a-z0-9_]*\) | .*/\1/p' "$list")
	echo "$inputs" >"$dir/.inputs"
}

for k in ${vms[@]+"${vms[@]}"}; do
	t=$(date +%s)
	kernel_resolve "$k" || die "cannot prepare the $k kernel"
	mkdir -p "$out/$k"
	kernel_tag "$KDIR" >"$out/$k/tag"
	rm -f "$out/$k"/boot-*.log "$out/$k"/boot-*.dmesg "$out/$k"/boot-*.out
	if ! build "$k"; then
		sed 's/^/# /' "$out/$k/build.log"
		n=$((n + 1))
		failed=$((failed + 1))
		echo "not ok $n corpus vm $k: the corpus does not build"
		continue
	fi
	total=$(wc -l <"$out/$k/corpus/order")
	from=0
	boots=0
	# Many modules a boot; after a boot that ended early (a crash, a
	# stuck unload) the next starts after the module it ended on.
	while [ "$from" -lt "$total" ] && [ "$boots" -lt "$total" ]; do
		boots=$((boots + 1))
		log=$out/$k/boot-$boots.log
		"$top/qemu/vm.sh" --kernel "$k" --extra "$out/$k/corpus" \
			--log "$log" --timeout 1200 --quiet \
			--append "loglevel=5 rcupdate.rcu_expedited=1 ktlife.stop_ms=1000 ktlife.corpus_from=$from panic_on_warn=0 kasan_multi_shot" \
			"$top/qemu/guest/corpus.sh" >"$out/$k/boot-$boots.out" 2>&1 ||
			true
		last=$(tr -d '\r' <"$log" |
			sed -n 's/^corpus-begin \([0-9]*\) .*/\1/p' | tail -n 1)
		if tr -d '\r' <"$log" | grep -q '^corpus-done '; then
			break
		fi
		[ -n "$last" ] || {
			sed 's/^/# /' "$out/$k/boot-$boots.out"
			break
		}
		from=$((last + 1))
	done
	echo "# corpus vm $k: $total modules in $boots boot(s)"
	relay "vm-$k" < <(python3 "$top/scripts/corpus-judge.py" vm "$list" \
		"$k" "$out/$k"/boot-*.log)
	echo "# phase: corpus vm $k: $(($(date +%s) - t)) s"
done

if $docs; then
	doc=$top/docs/corpus.md
	begin='<!-- BEGIN corpus (scripts/corpus.sh --docs) -->'
	end='<!-- END corpus -->'
	grep -qxF "$begin" "$doc" || die "no corpus markers in $doc"
	{
		sed -n "1,\\|^$begin\$|p" "$doc"
		echo "Last run: $(date -u +%F), $(grep -c '^[a-z0-9_]* | ' "$list") pairs."
		for part in lint vm-stock vm-debug; do
			[ -s "$out/$part.md" ] || continue
			echo
			case $part in
			lint) echo "### kthread-lint" ;;
			vm-*) echo "### make vm-run, ${part#vm-} kernel ($(cat "$out/${part#vm-}/tag"))" ;;
			esac
			echo
			cat "$out/$part.md"
		done
		sed -n "\\|^$end\$|,\$p" "$doc"
	} >"$doc.tmp" && mv "$doc.tmp" "$doc"
fi
exit "$failed"
