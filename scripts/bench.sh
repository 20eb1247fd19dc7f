#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh - "make bench" (issue 4): in ONE VM run on Debian's stock kernel,
# measure ktlife beside its floor (a bare kthread; write() to /dev/null) and
# its peers (the same writer job on a kthread_worker and on a workqueue, in
# the bench-only module ktpeer.ko, built from bench/peer/ into build/),
# plus the seed's Go program on the host as a userspace reference line. Prints the table, writes
# bench/results.json, docs/bench.md and the plots bench/*.png.
#
# Host side: deps (gnuplot-nox, golang-go via apt-get if missing), build
# the peers' module and the in-VM driver (bench/ktbench.c), boot through
# qemu/vm.sh (qemu/guest/bench.sh runs in the guest), collect the "KTB"
# lines from the console log, run the Go reference, render
# (bench/render.py).
#
# Environment: KTBENCH_REPS (default 5), KTBENCH_FAMILIES (default all,
# "123456"), KTBENCH_TPUT_MS (default 400), KTBENCH_IDLE (guest idle=, default
# none), KTBENCH_APPEND (more guest kernel parameters); KTBENCH_LOG=FILE
# renders an existing console log without booting (and with the Go
# reference measured for those very results, if build/bench/go.txt is
# it); KTBENCH_RENDER=0 measures only.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"
# shellcheck source=qemu/kernels.sh
. "$top/qemu/kernels.sh"

start=$(date +%s)
reps=${KTBENCH_REPS:-5}
families=${KTBENCH_FAMILIES:-123456}
tput_ms=${KTBENCH_TPUT_MS:-400}
# KTBENCH_IDLE=poll|halt|...: boot the guest with idle=...; by default the
# guest's own choice. (Cross-vCPU wake-ups under TCG cost up to a tick;
# bench/ktbench.c keeps every hand-over on one vCPU instead, see pin().)
idle=${KTBENCH_IDLE:-default}
idle_arg=''
[ "$idle" = default ] || idle_arg=" idle=$idle"
out=$KTLIFE_BUILD/bench
mkdir -p "$out"

"$top/scripts/deps.sh"
need=()
command -v gnuplot >/dev/null || need+=(gnuplot-nox)
command -v go >/dev/null || [ -x /usr/lib/go/bin/go ] || need+=(golang-go)
command -v python3 >/dev/null || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
	say "installing ${need[*]}"
	[ "$(id -u)" -eq 0 ] || die "need root to install ${need[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >&2
fi
GO=$(command -v go || echo /usr/lib/go/bin/go)

kernel_resolve stock
kver=$(kernel_tag "$KDIR")
log=${KTBENCH_LOG:-$KTLIFE_BUILD/console-bench.log}

if [ -z "${KTBENCH_LOG:-}" ]; then
	say "building ktpeer.ko for $kver"
	pdir=$out/peer-$kver
	rm -rf "$pdir"
	mkdir -p "$pdir"
	cp "$top/bench/peer/Kbuild" "$top/bench/peer/peer.c" \
		"$top"/module/{queue,log}.[ch] "$top/module/mutant.h" "$pdir/"
	if ! make -C "$KDIR" M="$pdir" W=1 modules >"$pdir/build.log" 2>&1; then
		cat "$pdir/build.log" >&2
		die "ktpeer.ko failed to build"
	fi
	findings=$(grep -vE '^(  |make(\[[0-9]+\])?: (Entering|Leaving))|^Skipping BTF|^$' "$pdir/build.log" || true)
	[ -z "$findings" ] || die "ktpeer.ko build warnings: $findings"

	say "building the in-VM driver (static)"
	gcc -static -O2 -Wall -Wextra -Wno-unused-parameter -Werror \
		-I"$top/selftests" -o "$out/ktbench.$$" "$top/bench/ktbench.c" \
		"$top/selftests/ktlife_util.c" "$top/selftests/ktleak.c" \
		-pthread
	mv "$out/ktbench.$$" "$out/ktbench"

	say "booting $kver: $reps repetitions, families $families (console: $log)"
	vm_rc=0
	"$top/qemu/vm.sh" --kernel stock --log "$log" --quiet --timeout 900 \
		--extra "$pdir/ktpeer.ko" --extra "$out/ktbench" \
		--append "loglevel=1 ktbench.reps=$reps ktbench.families=$families ktbench.tput_ms=$tput_ms$idle_arg${KTBENCH_APPEND:+ $KTBENCH_APPEND}" \
		bench || vm_rc=$?
	[ "$vm_rc" -eq 0 ] || warn "the VM run failed (status $vm_rc): the table shows what was measured"
else
	vm_rc=0
fi
tr -d '\r' <"$log" | grep -E '^(KTB|KTBINFO|KTBDONE|# FAIL)' >"$out/ktb.txt" || true
grep -q '^KTB ' "$out/ktb.txt" || die "no results in $log"
# KTBENCH_RENDER=0 (scripts/bench-stability.sh): the KTB lines only, in
# build/bench/ktb.txt; bench/ and docs/ are left as they are.
if [ "${KTBENCH_RENDER:-1}" = 0 ]; then
	say "measured in $(($(date +%s) - start)) s: $out/ktb.txt (not rendered)"
	exit "$vm_rc"
fi

# The Go reference: the seed's program on the host, for the message counts
# ktlife handled (median of its runs), same sizes and producer counts. Its
# first line names the results it was measured for (their sha256): a
# re-render (KTBENCH_LOG) of those same results keeps it, since the host of
# today is not the host of that run; any other results get their own.
ktb_sum="# ktb $(sha256sum "$out/ktb.txt" | cut -d' ' -f1)"
if [ -n "${KTBENCH_LOG:-}" ] && [ "$(head -n 1 "$out/go.txt" 2>/dev/null)" = "$ktb_sum" ]; then
	say "re-render: keeping the Go reference measured for these results"
else
	say "running the seed's Go program on the host (userspace reference)"
	GOCACHE=$KTLIFE_CACHE/go-build "$GO" build -o "$out/seedbench" \
		"$top/bench/seedbench/main.go"
	echo "$ktb_sum" >"$out/go.txt"
	while read -r _ metric _ _ med _; do
		case "$metric" in
		tput_count.pinned.ktlife.*) ;;
		*) continue ;;
		esac
		IFS=. read -r _ _ _ size np <<<"$metric"
		per=$(awk -v m="$med" -v p="$np" 'BEGIN { printf "%d", m / p }')
		for _ in $(seq "$reps"); do
			rate=$("$out/seedbench" -size "$size" -producers "$np" \
				-count "$per" | awk '{ print $6 }')
			echo "$size $np $per $rate" >>"$out/go.txt"
		done
	done <"$out/ktb.txt"
fi

# Harness times, if make check / make demo left them in build/.
: >"$out/harness.txt"
grep -rhoE '# make check took [0-9]+ s' "$KTLIFE_BUILD" 2>/dev/null |
	sed 's/.* took \([0-9]*\) s/check \1/' >>"$out/harness.txt" || true
grep -rhoE 'demo done in [0-9]+ s' "$KTLIFE_BUILD" 2>/dev/null |
	sed 's/.* in \([0-9]*\) s/demo \1/' >>"$out/harness.txt" || true

# The wall time of the run that measured: a re-render keeps it.
if [ -z "${KTBENCH_LOG:-}" ]; then
	wall=$(($(date +%s) - start))
	echo "$wall" >"$out/wall"
else
	wall=$(cat "$out/wall" 2>/dev/null || echo 0)
fi
python3 "$top/bench/render.py" --ktb "$out/ktb.txt" --go "$out/go.txt" \
	--harness "$out/harness.txt" --config "/boot/config-$kver" \
	--kernel "$kver" --out "$top/bench" --data "$out" \
	--md "$top/docs/bench.md" \
	--wall "$wall" --vm-rc "$vm_rc"
for gp in "$top"/bench/*.gp; do
	gnuplot -e "dat='$out'; outdir='$top/bench'" "$gp" ||
		warn "gnuplot failed on $gp"
done
say "make bench took $(($(date +%s) - start)) s (table above; bench/results.json, bench/*.png)"
[ "$vm_rc" -eq 0 ]
