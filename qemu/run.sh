#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh - boot a kernel in QEMU with a payload, and judge the run. Owns
# the initramfs (busybox-static, qemu/init.c as PID 1, the payload at
# /payload), the QEMU command line, the choice of accelerator, and the
# verdict: a batch run passes only if init reported "ktlife-verdict: 0" on
# the second serial port AND no kernel splat (oops, WARN, BUG, lockdep,
# KASAN, kmemleak, hung task, ...) is in the console log or in the kernel
# log that init dumps on the third serial port. QEMU's exit status proves
# nothing: with panic=-1 a guest panic ends QEMU with status 0.
#
# The payload contract, inside the VM: DIR is at /payload, and init runs
# "/bin/sh /payload/run" (no exec bit needed) with /payload as its cwd,
# stdout and stderr on the console, stdin /dev/null (batch mode), and
# PATH=/bin:/sbin:/usr/bin:/usr/sbin (busybox applets), HOME=/root,
# KTLIFE_MODE=batch|shell, KTLIFE_PAYLOAD=/payload in the environment.
# Mounted: /proc, /sys, /dev (devtmpfs), /tmp and /dev/shm (tmpfs),
# /sys/kernel/debug, /sys/kernel/tracing (if the kernel has them). Options
# reach the payload as kernel parameters: --append "ktlife.part=2" is in
# /proc/cmdline. Its exit status is the verdict; then, on a kmemleak
# kernel, init waits 6 s and scans for leaks twice, and any leak fails the
# run too. It must not need the network, a disk or a real terminal.
#
# Accelerator: KTLIFE_ACCEL=kvm|tcg forces one. Otherwise KVM if /dev/kvm
# is usable and $KTLIFE_CACHE/accel does not say that it hangs; a KVM boot
# that prints nothing in 20 s (nested KVM can hang silently) or that QEMU
# refuses is stopped, remembered there, and run again under TCG.
#
# A batch boot whose kernel dies before PID 1 runs the payload (nothing
# under test has run yet) is booted once more, and says so; a failure from
# PID 1 on is never retried.
#
# An arm64 kernel (an Image: "ARM\x64" at byte 56, the arm64 boot
# protocol's magic) boots on qemu-system-aarch64's "virt" machine, always
# under TCG on this x86 host, with the arm64 busybox-static of Debian's
# archive (qemu/arm64-userland.sh) and a cross-compiled PID 1. virt has one
# PL011 UART, the console (ttyAMA0); the verdict and the kernel log go to
# two virtio consoles (hvc0, hvc1), which init is told of on the command
# line (ktlife.ttys=). The verdict and its rules are the same.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

KVM_GRACE=20
ACCEL_FILE=$KTLIFE_CACHE/accel

usage()
{
	cat >&2 <<EOF
usage: qemu/run.sh --kernel BZIMAGE --payload DIR [options]
  --kernel BZIMAGE   kernel to boot (required): an x86 bzImage, or an
                     arm64 Image (booted on qemu-system-aarch64)
  --payload DIR      copied to /payload in the VM; init runs "sh /payload/run"
                     (required in batch mode)
  --log FILE         console log (default: \$KTLIFE_CACHE/logs/<time>.log);
                     the full kernel log goes to FILE's .dmesg sibling
  --mode batch|shell batch (default): run and judge; shell: run, then an
                     interactive shell on this terminal (exit ends the VM)
  --timeout SECONDS  kill the VM and fail after this long (default 1800 in
                     batch mode, none in shell mode; 0: none)
  --mem MB           guest memory (default 1024)
  --append "ARGS"    more kernel command line
  --quiet            do not stream the console to stdout, only to the log
Exit status: 0 if the run passed, 1 if not, 2 on a usage error.
EOF
	exit 2
}

kernel='' payload='' log='' mode=batch timeout='' mem=1024 append='' quiet=false

parse_args()
{
	while [ $# -gt 0 ]; do
		case "$1" in
		--quiet) quiet=true; shift; continue ;;
		-h|--help) usage ;;
		--kernel|--payload|--log|--mode|--timeout|--mem|--append)
			[ $# -ge 2 ] || { warn "$1 needs a value"; usage; } ;;
		*) warn "unknown option '$1'"; usage ;;
		esac
		case "$1" in
		--kernel) kernel=$2 ;;
		--payload) payload=$2 ;;
		--log) log=$2 ;;
		--mode) mode=$2 ;;
		--timeout) timeout=$2 ;;
		--mem) mem=$2 ;;
		--append) append=$2 ;;
		esac
		shift 2
	done
	[ -n "$kernel" ] || { warn "--kernel is required"; usage; }
	[ -r "$kernel" ] || die "cannot read kernel image '$kernel'"
	arch=x86_64
	# The arm64 Image header's magic, "ARM\x64" at offset 56
	# (Documentation/arch/arm64/booting.rst).
	[ "$(od -An -c -j 56 -N 4 "$kernel" | tr -d ' ')" != ARMd ] ||
		arch=arm64
	case "$mode" in
	batch) timeout=${timeout:-1800} ;;
	shell) timeout=${timeout:-0} ;;
	*) warn "--mode must be batch or shell"; usage ;;
	esac
	[[ "$timeout" =~ ^[0-9]+$ ]] || { warn "bad --timeout"; usage; }
	[[ "$mem" =~ ^[0-9]+$ ]] || { warn "bad --mem"; usage; }
	if [ -n "$payload" ]; then
		[ -d "$payload" ] || die "no payload directory '$payload'"
		[ -f "$payload/run" ] ||
			warn "$payload/run is missing: the verdict will be 127"
	elif [ "$mode" = batch ]; then
		warn "--payload is required"
		usage
	fi
}

# PID 1, compiled once per content of init.c and compiler (the arm64
# cross-compiler for an arm64 guest).
build_init()
{
	local src=$top/qemu/init.c dir=$KTLIFE_CACHE/init bin cc=gcc

	[ "$arch" != arm64 ] || cc=aarch64-linux-gnu-gcc
	bin=$dir/init-$(content_hash "$src" "$("$cc" --version | head -n 1)")
	if [ ! -x "$bin" ]; then
		mkdir -p "$dir"
		"$cc" -static -Os -Wall -Wextra -o "$bin.$$" "$src" ||
			die "cannot build $src"
		mv "$bin.$$" "$bin"
	fi
	echo "$bin"
}

# The initramfs: a newc cpio (owned by root even when built as a user),
# gzip'ed. The kernel's built-in initramfs already has /dev/console.
build_initramfs()
{
	local root=$work/root bb=/bin/busybox path applets

	if [ "$arch" = arm64 ]; then
		# Static, checked there; its applets listed there too, since
		# an arm64 binary does not run here.
		bb=$("$top/qemu/arm64-userland.sh" busybox) ||
			die "no arm64 busybox"
		applets=$(cat "$bb.list")
	else
		case "$(readelf -l "$bb" 2>/dev/null)" in
		*"program interpreter"*) die "$bb is not static: install busybox-static" ;;
		esac
		applets=$("$bb" --list)
	fi
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,root,etc,payload}
	cp "$bb" "$root/bin/busybox"
	# Applet links now, rather than "busybox --install" at each boot; all
	# in /bin: the kselftest runner takes a /usr/bin/timeout to be GNU's.
	# /usr/bin/env alone elsewhere, for "#!/usr/bin/env" scripts.
	for path in $applets; do
		[ -e "$root/bin/$path" ] || ln -s busybox "$root/bin/$path"
	done
	ln -s /bin/busybox "$root/usr/bin/env"
	echo "root:x:0:0:root:/root:/bin/sh" >"$root/etc/passwd"
	echo "root:x:0:" >"$root/etc/group"
	cp "$(build_init)" "$root/init"
	# -L: a payload may link to files elsewhere (a module, a test binary).
	[ -z "$payload" ] || cp -RL "$payload/." "$root/payload/"
	(cd "$root" && find . -print0 | LC_ALL=C sort -z |
		cpio --null -o -H newc -R 0:0 --quiet) |
		gzip -1 >"$work/initramfs.gz"
}

cmdline()
{
	local console=console=ttyS0

	[ "$arch" != arm64 ] ||
		console="console=ttyAMA0 ktlife.ttys=ttyAMA0,hvc0,hvc1"
	# log_buf_len: a long run (the corpus, the debug kernel's tests)
	# must not wrap the kernel log, whose boot lines say which detectors
	# the kernel has and whose every line the verdict reads.
	echo "$console panic=-1 panic_on_warn=1 oops=panic" \
		"softlockup_panic=1 log_buf_len=16M ktlife.mode=$mode${append:+ $append}"
}

# watchdog ACCEL QEMU_PID: kills QEMU on a silent KVM boot or on timeout,
# and says which in $work/killed.
watchdog()
{
	local accel=$1 qpid=$2 t=0

	while sleep 1; do
		t=$((t + 1))
		kill -0 "$qpid" 2>/dev/null || return 0
		if [ "$accel" = kvm ] && [ "$t" -eq "$KVM_GRACE" ] &&
		   [ ! -s "$log" ]; then
			echo kvm-silent >"$work/killed"
			kill "$qpid"
			return 0
		fi
		if [ "$timeout" -gt 0 ] && [ "$t" -ge "$timeout" ]; then
			echo timeout >"$work/killed"
			kill "$qpid"
			return 0
		fi
	done
}

# boot ACCEL: one QEMU run; sets qemu_rc and killed.
boot()
{
	local accel=$1 cpu=max qpid wpid tpid=
	local qemu="qemu-system-x86_64"
	local args=(-nodefaults -no-user-config -display none -no-reboot
		-smp "$SMP" -m "$mem" -accel "$accel"
		-kernel "$kernel" -initrd "$work/initramfs.gz"
		-append "$(cmdline)"
		-chardev "file,id=verdict,path=$work/verdict"
		-chardev "file,id=kmsg,path=$dmesg")

	# No 5-level paging under TCG: since 6.16 the kernel reads it from the
	# LA57 CPU feature bit, which identify_cpu() clears and sets again
	# during boot; a timer interrupt in between, in a KASAN kernel, takes
	# the direct map for a wild address ("BUG: KASAN: wild-memory-access
	# in do_raw_spin_lock" in identify_cpu(), 2 of 12 boots of 7.3.4).
	# Four levels are what most machines run anyway.
	[ "$arch" = arm64 ] || cpu=max,la57=off
	[ "$accel" = kvm ] && cpu=host
	args+=(-cpu "$cpu")
	if [ "$arch" = arm64 ]; then
		qemu="qemu-system-aarch64"
		# virtio-mmio, which virt describes in its device tree: no PCI
		# needed in the guest.
		args+=(-M virt)
	fi
	: >"$log"
	: >"$work/verdict"
	: >"$dmesg"
	rm -f "$work/killed"
	if [ "$mode" = shell ]; then
		# The user's terminal is the console (raw, ^C goes to the
		# guest), and QEMU copies all of it to the log.
		# shellcheck disable=SC2054 # commas of QEMU's syntax
		args+=(-chardev "stdio,id=con,mux=on,signal=off,logfile=$log"
			-serial chardev:con -mon chardev=con,mode=readline)
	else
		args+=(-chardev "file,id=con,path=$log" -serial chardev:con)
	fi
	if [ "$arch" = arm64 ]; then
		# hvc0 and hvc1, in this order (ktlife.ttys= in cmdline()).
		# shellcheck disable=SC2054 # commas of QEMU's syntax
		args+=(-device virtio-serial-device
			-device virtconsole,chardev=verdict
			-device virtconsole,chardev=kmsg)
	else
		args+=(-serial chardev:verdict -serial chardev:kmsg)
	fi

	if [ "$mode" = shell ]; then
		# Without job control bash would give a background job
		# /dev/null as stdin: name the terminal explicitly.
		"$qemu" "${args[@]}" <&0 2>"$work/qemu.err" &
	else
		"$qemu" "${args[@]}" </dev/null 2>"$work/qemu.err" &
	fi
	qpid=$!
	pids+=("$qpid")
	watchdog "$accel" "$qpid" </dev/null >/dev/null 2>&1 &
	wpid=$!
	pids+=("$wpid")
	if [ "$mode" = batch ] && ! $quiet; then
		tail -n +1 -f --pid="$qpid" "$log" &
		tpid=$!
	fi
	qemu_rc=0
	# (bash reports a QEMU that aborts on its stderr: not needed here.)
	wait "$qpid" 2>/dev/null || qemu_rc=$?
	kill "$wpid" 2>/dev/null || true
	wait "$wpid" 2>/dev/null || true
	# tail reads what is left once QEMU is gone, then exits.
	[ -z "$tpid" ] || wait "$tpid" || true
	killed=$(cat "$work/killed" 2>/dev/null || true)
}

# A KVM run that never printed a byte: hung, or refused by QEMU.
kvm_failed()
{
	[ "$killed" = kvm-silent ] && return 0
	[ "$qemu_rc" -ne 0 ] && [ ! -s "$log" ]
}

pick_accel()
{
	# An arm64 guest on another host has no KVM to try.
	if [ "$arch" = arm64 ] && [ "$(uname -m)" != aarch64 ]; then
		[ "${KTLIFE_ACCEL:-tcg}" = tcg ] ||
			die "KTLIFE_ACCEL=$KTLIFE_ACCEL: an arm64 guest runs under TCG on $(uname -m)"
		echo tcg
	elif [ -n "${KTLIFE_ACCEL:-}" ]; then
		case "$KTLIFE_ACCEL" in
		kvm|tcg) echo "$KTLIFE_ACCEL" ;;
		*) die "KTLIFE_ACCEL must be kvm or tcg" ;;
		esac
	elif [ -r /dev/kvm ] && [ -w /dev/kvm ] &&
	     ! grep -qs '^kvm hangs' "$ACCEL_FILE"; then
		echo kvm
	else
		echo tcg
	fi
}

# Kernel messages that fail a run, as extended regexps; and the lines that
# may match them and still are fine: the command line as the kernel echoes
# it (it may say "hung_task..."), and what kmemleak prints when it is well
# (at boot, when a test asks for a scan: what a scan finds and nobody
# clears is in init's final report, which fails the run; under injected
# allocation failures).
SPLATS=(
	'Kernel panic' 'Oops' 'BUG:' 'WARNING:' 'kernel BUG at'
	'------------\[ cut here \]'
	'INFO: possible' 'INFO: task .* blocked for more than'
	'possible circular locking' 'possible recursive locking'
	'inconsistent lock state'
	'KASAN:' 'UBSAN:' 'ODEBUG:' 'KCSAN:'
	# refcount_t's own checks (they come with a WARNING, but say it all)
	'refcount_t: '
	# kmemleak's warnings ("Freeing unknown object", "disabled", ...)
	# and init's final report, whose lines it prefixes with "kmemleak: ".
	# A raw record at the start of a line counts too; a test that shows
	# kmemleak firing on purpose prints them nested ("# unreferenced").
	'kmemleak:' '^unreferenced object'
	'general protection fault' 'Call Trace:'
	'watchdog: BUG: soft lockup' 'detected stalls? on CPU'
	# The freezer giving up: a thread that suspend could not freeze.
	'refusing to freeze'
	# Only in a kernel message ("[  12.3] ..."): tests may well print
	# the name of /proc/sys/kernel/hung_task_timeout_secs.
	'\] .*hung_task'
)
ALLOWED=(
	'Command line:'
	'kmemleak: Kernel memory leak detector initialized'
	'kmemleak: Automatic memory scanning thread (started|ended)'
	'kmemleak: [0-9]+ new suspected memory leaks'
	# An injected failure of kmemleak's own metadata allocation: it then
	# scans the whole object, a fallback, not a lost leak report.
	'kmemleak: Cannot allocate a scan area, scanning the full object'
	# The one data race that is there on purpose (bugs/race, which
	# ktleak_test's kcsan_fires_on_a_deliberate_race must see reported):
	# both sides in its own thread function. Any other KCSAN report,
	# "BUG: KCSAN: ...", fails the run.
	'BUG: KCSAN: data-race in deliberate_race_thread \[ktlife\] / deliberate_race_thread \[ktlife\]$'
)

# A failed allocation is reported with a stack dump ("Call Trace:"), which
# is no bug when the selftests inject the failure (failslab,
# fail_page_alloc, fail-nth): such a trace is not a splat when it follows
# one of these lines closely. Any other pattern still is.
ALLOC_FAILURE='FAULT_INJECTION: forcing a failure|page allocation failure:|vmalloc error:|percpu: allocation failed'
ALLOC_FAILURE_WINDOW=8

# kernel_races FILE: the lines of FILE that start a KCSAN report of a race
# wholly inside the kernel's own code: neither its header nor its stacks
# name a frame of ktlife ("[ktlife]", "[ktlife_first]") or of the kfifo
# library that ktlife's queue uses. Strict KCSAN finds such races in the
# kernel itself (x86's APIC calibration at boot, kernfs's set_nlink() when
# the tests open sysfs files), which are not ktlife's to judge: they are
# named in a note, and do not fail the run. A report that involves ktlife
# does.
#
# One race is the kernel's although a ktlife frame calls into it, named by
# its two functions: "do_exit / to_kthread". kthread_stop() begins with
# to_kthread(k), whose WARN_ON() reads k->flags with a plain load, and a
# thread that is exiting (it returned, or the stop woke it) writes its own
# flags in do_exit() (PF_EXITING, PF_POSTCOREDUMP). The bit it tests,
# PF_KTHREAD, never changes, and the task reference keeps k valid: a
# data race in kernel/kthread.c on every stop of a thread that exits as it
# is stopped, which KCSAN sees once two CPUs run the two (6.12.118; the
# same code in 7.3.4). Any other race with a ktlife frame fails the run.
KERNEL_RACE_PAIRS='do_exit / to_kthread|to_kthread / do_exit'

kernel_races()
{
	tr -d '\r' <"$1" | awk -v pairs="$KERNEL_RACE_PAIRS" '
		BEGIN { n = split(pairs, p, "|"); for (i = 1; i <= n; i++) known[p[i]] = 1 }
		function done() { if (start && !ours) print start; start = 0 }
		/BUG: KCSAN: / {
			done(); start = NR; ours = 0
			h = $0; sub(/.*BUG: KCSAN: data-race in /, "", h)
			mine = !(h in known)
		}
		start && mine && /\[ktlife|kfifo/ { ours = 1 }
		start && NR > start && /={20,}/ { done() }
		END { done() }'
}

# splat_lines FILE: numbers of the lines of FILE that fail a run.
splat_lines()
{
	local re allow failures races

	re=$(IFS='|'; echo "${SPLATS[*]}")
	allow=$(IFS='|'; echo "${ALLOWED[*]}")
	failures=$(tr -d '\r' <"$1" | grep -naE -- "$ALLOC_FAILURE" |
		cut -d: -f1 | tr '\n' ' ' || true)
	races=$(kernel_races "$1" | tr '\n' ' ')
	tr -d '\r' <"$1" | grep -naE -- "$re" | grep -vE -- "$allow" |
		awk -F: -v f="$failures" -v w="$ALLOC_FAILURE_WINDOW" \
			-v r="$races" '
		BEGIN {
			n = split(f, at, " ")
			m = split(r, kr, " ")
			for (i = 1; i <= m; i++) kernel[kr[i]] = 1
		}
		$1 in kernel { next }
		/Call Trace:/ {
			for (i = 1; i <= n; i++)
				if (at[i] < $1 && $1 - at[i] <= w)
					next
		}
		{ print $1 }' || true
}

# show_splats FILE LINES...: each offending line, marked, with context.
show_splats()
{
	local file=$1

	shift
	tr -d '\r' <"$file" | awk -v lines="$*" -v ctx=3 '
		BEGIN { n = split(lines, l, " "); for (i = 1; i <= n; i++) bad[l[i]] = 1 }
		{ text[NR] = $0 }
		END {
			last = 0; shown = 0
			for (i = 1; i <= NR && shown < 80; i++) {
				near = 0
				for (j = i - ctx; j <= i + ctx; j++) if (j in bad) near = 1
				if (!near) continue
				if (last && i > last + 1) print "  ..."
				printf "%s %6d  %s\n", (i in bad) ? ">>" : "  ", i, text[i]
				last = i; shown++
			}
		}' >&2
}

# slow_stops FILE BOUND_MS: the module unloads that PID 1 timed in FILE
# (ktlife.stop_ms= asks it to) and found slower than the bound, or still
# going when the payload ended: "NAME MS" or "NAME MS still".
slow_stops()
{
	tr -d '\r' <"$1" | sed -n \
		-e 's/.*ktlife-vm: unload of \([^ ]*\) took \([0-9]*\) ms$/\1 \2/p' \
		-e 's/.*ktlife-vm: unload of \([^ ]*\) still going after \([0-9]*\) ms$/\1 \2 still/p' |
		awk -v b="$2" '$2 > b || $3 == "still"'
}

# The vCPUs the guest gets: two, so that the race tests race (SMP= in the
# environment for more: scripts/audit-demo.sh's bcache needs four).
SMP=${SMP:-2}
case $SMP in
[1-9] | [1-9][0-9]) ;;
*) echo "run.sh: SMP=$SMP: not a number of vCPUs" >&2; exit 2 ;;
esac

# cpus_up FILE: the CPUs the guest brought up, from its boot log; empty if
# the log does not say.
cpus_up()
{
	tr -d '\r' <"$1" |
		sed -n 's/.*smp: Brought up [0-9]* nodes*, \([0-9]*\) CPUs*$/\1/p' |
		head -n 1
}

# missing_detectors FILE: what this kernel cannot see, from its boot log
# (the debug kernels print each detector as it starts).
missing_detectors()
{
	local log missing=()

	log=$(tr -d '\r' <"$1")
	grep -q 'KernelAddressSanitizer initialized' <<<"$log" ||
		missing+=("use-after-free (no KASAN)")
	grep -q 'kmemleak: Kernel memory leak detector initialized' <<<"$log" ||
		missing+=("leaked allocations (no kmemleak)")
	grep -q 'Lock dependency validator' <<<"$log" ||
		missing+=("lock order (no lockdep)")
	(IFS=';'; echo "${missing[*]}")
}

# judge: PASS or FAIL with reasons; the script's exit status.
judge()
{
	local verdict ok=true lines='' file splat='' races n bound slow blind cpus

	verdict=$(tr -d '\r' <"$work/verdict" |
		sed -n 's/^ktlife-verdict: \([0-9]\{1,\}\)$/\1/p' | tail -n 1)
	# The console first; the full kernel log only for what a loglevel
	# kept off the console, so that a splat is not shown twice.
	for file in "$log" "$dmesg"; do
		lines=$(splat_lines "$file" | tr '\n' ' ')
		[ -z "$lines" ] || { splat=$file; break; }
	done

	if [ "$killed" = timeout ]; then
		say "FAIL: no verdict in $timeout s: the VM was killed"
		ok=false
	elif [ "$mode" = batch ] && [ -z "$verdict" ]; then
		say "FAIL: the VM ended without a verdict (QEMU exit status $qemu_rc)"
		if [ -z "$splat" ]; then
			say "the console's last lines:"
			tr -d '\r' <"$log" | tail -n 20 | sed 's/^/  /' >&2
		fi
		ok=false
	elif [ "$mode" = batch ] && [ "$verdict" != 0 ]; then
		say "FAIL: verdict $verdict: /payload/run exited with status $verdict"
		ok=false
	fi
	for file in "$log" "$dmesg"; do
		races=$(kernel_races "$file")
		[ -n "$races" ] || continue
		say "note: KCSAN reported races inside the kernel's own code, none of ktlife's (not judged):"
		for n in $races; do
			tr -d '\r' <"$file" | sed -n "${n}p" | sed 's/^/  /' >&2
		done
		break
	done
	# The stop bound: ktlife.stop_ms=N on the command line (make vm-run
	# sets it; 0 or absent: none).
	bound=$(sed -n 's/.*ktlife\.stop_ms=\([0-9]*\).*/\1/p' <<<"$append")
	if [ -n "$bound" ] && [ "$bound" -gt 0 ]; then
		slow=$(slow_stops "$dmesg" "$bound")
		if [ -n "$slow" ]; then
			say "FAIL: a module unload (its exit, its threads' stops) slower than $bound ms (STOP_MS= of make vm-run):"
			awk '{ printf "  %s: %s ms%s\n", $1, $2, $3 ? ", still going when the command ended" : "" }' <<<"$slow" >&2
			ok=false
		fi
	fi
	# A guest on one CPU passes every race test without racing.
	cpus=$(cpus_up "$dmesg")
	if [ -n "$cpus" ] && [ "$cpus" -lt "$SMP" ]; then
		say "FAIL: the guest brought up $cpus CPU(s) of the $SMP QEMU gave it: no test raced (a kernel without ACPI? see qemu/base.config)"
		ok=false
	fi
	if [ -n "$splat" ]; then
		say "FAIL: kernel splat in $splat:"
		# shellcheck disable=SC2086 # one argument per line number
		show_splats "$splat" $lines
		ok=false
	fi
	if [ -s "$work/qemu.err" ] && ! $ok; then
		say "QEMU said:"
		sed 's/^/  /' "$work/qemu.err" >&2
	fi
	if $ok && [ "$mode" = shell ]; then
		say "OK: the shell exited with status ${verdict:-?}, clean kernel log ($accel, $((SECONDS - start)) s; log: $log)"
		return 0
	elif $ok; then
		blind=$(missing_detectors "$dmesg")
		if [ -n "$blind" ]; then
			say "PASS on what this kernel can see: verdict 0, clean kernel log ($accel, $((SECONDS - start)) s; log: $log)"
			say "NOT CHECKED here: ${blind//;/, }: run it again with KERNEL=debug"
		else
			say "PASS: verdict 0, clean kernel log ($accel, $((SECONDS - start)) s; log: $log)"
		fi
		return 0
	fi
	say "log: $log (kernel log: $dmesg); $accel, $((SECONDS - start)) s"
	return 1
}

cleanup()
{
	local p

	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	rm -rf "$work"
}

# Default logs are many small files: keep the 50 newest.
prune_logs()
{
	# shellcheck disable=SC2012 # our own names, no odd characters
	ls -1t "$KTLIFE_CACHE/logs/"*.log 2>/dev/null | tail -n +51 |
		while IFS= read -r f; do rm -f "$f" "${f%.log}.dmesg"; done ||
		true
}

main()
{
	local default_log=false why

	# run.sh --splats FILE: the lines of FILE that would fail a run (the
	# verdict's rules alone, for scripts/harness-check.sh); status 1 if any.
	if [ "${1:-}" = --splats ]; then
		[ -r "${2:-}" ] || die "usage: run.sh --splats FILE"
		local lines
		lines=$(splat_lines "$2")
		[ -z "$lines" ] && return 0
		for n in $lines; do
			sed -n "${n}p" "$2"
		done
		return 1
	fi
	# run.sh --cpus FILE: the CPUs a boot log says the guest brought up,
	# which a run needs $SMP of (scripts/harness-check.sh).
	if [ "${1:-}" = --cpus ]; then
		[ -r "${2:-}" ] || die "usage: run.sh --cpus FILE"
		cpus_up "$2"
		return 0
	fi
	parse_args "$@"
	"$top/scripts/deps.sh"
	if [ -z "$log" ]; then
		log=$KTLIFE_CACHE/logs/$(date +%Y%m%d-%H%M%S)-$$.log
		default_log=true
	fi
	mkdir -p "$(dirname "$log")"
	log=$(cd "$(dirname "$log")" && pwd)/${log##*/}
	dmesg=${log%.log}.dmesg
	[ "$dmesg" != "$log" ] || dmesg=$log.dmesg
	! $default_log || prune_logs

	pids=()
	work=$(mktemp -d "${TMPDIR:-/tmp}/ktlife-run.XXXXXX")
	trap cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	build_initramfs

	start=$SECONDS
	accel=$(pick_accel)
	say "booting ${kernel##*/} under $accel ($mode mode; log: $log)"
	boot "$accel"
	if [ "$accel" = kvm ] && [ -z "${KTLIFE_ACCEL:-}" ] && kvm_failed; then
		if [ "$killed" = kvm-silent ]; then
			why="a KVM boot printed nothing in $KVM_GRACE s"
		else
			why="QEMU failed under KVM (status $qemu_rc): $(head -n 1 "$work/qemu.err")"
		fi
		mkdir -p "$KTLIFE_CACHE"
		{
			echo "kvm hangs: $why ($(date -u +%F))"
			echo "remove this file to try KVM again"
		} >"$ACCEL_FILE"
		say "$why; using TCG from now on (remembered in $ACCEL_FILE)"
		accel=tcg
		start=$SECONDS
		boot "$accel"
	fi
	if [ "$mode" = batch ] && died_before_init; then
		# Rare, and not the payload's: nothing of it had run. Seen once
		# in about 25 boots of the debug kernel under TCG, a KASAN
		# report in an interrupt during identify_cpu(). One more boot,
		# said out loud; the first one's log is kept.
		cp "$log" "${log%.log}-early-boot.log"
		say "the kernel died before PID 1 ran the payload (log kept in ${log%.log}-early-boot.log): $(tr -d '\r' <"$log" | grep -v 'ommand line:' | grep -m 1 -E 'panic|BUG|KASAN|Oops' || echo 'no message'); booting once more"
		start=$SECONDS
		boot "$accel"
	fi
	judge
}

# A batch boot that ended without a verdict before PID 1 said it runs the
# payload: the kernel failed on its own, before anything under test ran.
died_before_init()
{
	! grep -q '^ktlife-verdict:' "$work/verdict" &&
		! tr -d '\r' <"$log" | grep -q '^ktlife-init: running '
}

main "$@"
