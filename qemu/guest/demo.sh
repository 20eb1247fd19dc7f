#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the VM as the payload's "run" of "make demo": the seed post,
# step by step, with ktlife. Part 1 (first boot) shows every correct stop,
# then the seed's own story (a hot reload that leaks the old value's
# thread, under ktleak, then the correct reload) and the leaky writer,
# both pinning the module; part 2 (a second boot,
# because only a reboot ends a leaked thread) unloads with busy writers
# and shows that no ktlife thread is left; it first records one writer's
# lifecycle with trace-cmd.
# shellcheck source=qemu/guest/lib.sh
. /payload/lib.sh

# step ID TITLE: the ID names the step for scripts/demo-docs.py, which
# copies a step's output from the console log into the docs.
step()
{
	echo
	echo "=== $2"
}

# The demo's verdict: every step that is meant to work did (a step meant
# to fail says so with "|| echo ...").
failed=0

fail()
{
	echo "demo: FAILED: $*"
	failed=1
}

run()
{
	echo "\$ $*"
	sh -c "$*" || fail "$* (status $?)"
}

show_status()
{
	run "cat $KT/status"
}

# Feed writer $1 with messages "$2-1" .. "$2-$3".
feed()
{
	i=1
	while [ "$i" -le "$3" ]; do
		printf "%s" "$2-$i" >"$KT/writers/$1/queue" ||
			{ fail "feed writer $1, message $i"; return 1; }
		i=$((i + 1))
	done
	echo "(fed $3 messages to writer $1)"
}

# Fill parked writer $1 until the fifo refuses a message (EAGAIN).
fill()
{
	n=$(/payload/ktlife/ktlife_feed -n -c 100000 -s 200 "$1") ||
		fail "fill writer $1"
	echo "(writer $1's fifo is full after $n messages of 200 bytes)"
}

part1()
{
	step load "Load ktlife: one compaction kthread starts (period 1 s)"
	run "insmod $KO"
	kt_threads

	step create "Go: w := NewWriter() -- here: create three writer kthreads"
	run "echo 1 > $KT/create; echo 2 > $KT/create; echo 3 > $KT/create"
	kt_threads
	echo "(state I: idle, sleeping on a wait queue, not in the load average)"

	step feed "Go: w.Write(message) -- one write() to writers/<id>/queue is one message"
	feed 1 hello 20
	run "cat $KT/writers/1/stats"
	run "tail -n 3 $KT/writers/1/log"
	show_status

	step stop_graceful "Stop 1, graceful (kthread_stop; the thread drains its queue first)"
	run "echo 1 > $KT/stop"
	run "tail -n 1 $KT/reaped"

	step stop_now "Stop 2, now: park it, fill its fifo, stop it; what was queued is discarded"
	run "echo 2 > $KT/park"
	fill 2
	run "echo '2 now' > $KT/stop"
	run "tail -n 1 $KT/reaped"
	echo "(enqueued == processed + discarded: nothing vanished unaccounted)"

	step stop_close "Stop 3, close: the seed's close(queue); the writer returns on its own (exit=returned)"
	run "echo 3 > $KT/park"
	fill 3
	run "echo '3 close' > $KT/stop"
	run "tail -n 1 $KT/reaped"
	echo "(it was reaped with kthread_stop_put() through the task reference held since creation)"
	kt_threads

	step compactor "The compactor: trims each log to its newest 'retain' records"
	run "echo 4 > $KT/create"
	feed 4 compact-me 100
	run "echo 1 > $KT/compactor/kick; sleep 0.2; cat $KT/compactor/stats"
	run "grep log_records $KT/writers/4/stats"
	run "echo all > $KT/stop"

	step compactor_stop "Stopping the compactor: select { case <-time.After: ...; case <-stop: } vs time.Sleep"
	run "echo 60000 > $KT/compactor/period_ms"
	t0=$(kt_ms)
	run "rmmod ktlife"
	t1=$(kt_ms)
	echo "wait mode, period 60 s: rmmod took $((t1 - t0)) ms"
	run "insmod $KO compactor=sleep period_ms=5000"
	sleep 1
	t0=$(kt_ms)
	run "rmmod ktlife"
	t1=$(kt_ms)
	echo "sleep mode, period 5 s: rmmod took $((t1 - t0)) ms (it waited out the period)"

	step reload_story "The seed's own story: a hot reload that leaks the old value's goroutine"
	cat <<'GO'
  // Go: the configuration owns its compaction goroutine.
  var current atomic.Value // *Config

  func NewConfig(period time.Duration) *Config {
    c := &Config{period: period, stop: make(chan struct{})}
    go c.compact() // select on time.After(c.period) and <-c.stop
    return c
  }

  func reload(period time.Duration) {
    current.Store(NewConfig(period)) // the bug: the old goroutine runs on
  }

  func reloadFixed(period time.Duration) {
    old := current.Load().(*Config)
    current.Store(NewConfig(period))
    close(old.stop) // and the old goroutine returns
  }
GO
	echo "(ktlife: compactor/reload publishes a new configuration object with RCU;"
	echo " the object owns its compaction kthread)"

	step reload_leaky "The leaky reload, under ktleak (load, reload with 'leaky', rmmod)"
	run "/payload/ktlife/ktleak --module ktlife --prefix ktlife/ --timeout 1000 --no-kmemleak -- sh -c 'insmod $KO bugs=1 max_leaky=2 && echo \"period_ms=500 leaky\" > $KT/compactor/reload; rmmod ktlife 2>/dev/null; true' || echo '(ktleak: exit status 1, leaks found)'"
	run "grep compactor $KT/status"
	echo "(the old configuration's thread runs on: nobody holds it, and it pins the module)"

	step reload_correct "The correct reload: publish, wait a grace period, stop the old thread"
	old=$(sed -n 's/^compactor pid=\([0-9]*\) .*/\1/p' "$KT/status")
	run "echo 'period_ms=2000 retain=16' > $KT/compactor/reload"
	run "grep compactor $KT/status"
	if [ -d "/proc/$old" ]; then
		fail "the replaced thread $old is still there"
	else
		echo "(the replaced thread, pid $old, is gone: stopped with kthread_stop_put())"
	fi
	run "grep -E 'generation|period_ms|retain' $KT/compactor/stats"

	step leak "The seed's illustration: a writer nobody can stop"
	run "echo '7 leaky' > $KT/create"
	kt_threads
	run "grep -E '^(leaked|total)' $KT/status"
	run "echo 7 > $KT/stop || echo 'stop 7: no such writer -- nothing holds it'"
	run "echo 7 > $KT/create || echo 'create 7: refused, its id stays taken (EEXIST)'"
	run "echo '8 leaky' > $KT/create || echo 'a third leak: refused, max_leaky=2 (ENOSPC)'"
	run "rmmod ktlife || echo 'rmmod refused: the leaked threads pin the module'"
	sleep 1
	kt_threads
	echo "(the leaked threads are still there; only a reboot ends them -- rebooting the VM)"
}

part2()
{
	step trace "After the reboot: one writer's lifecycle, as trace-cmd records it"
	run "insmod $KO"
	run "trace-cmd record -q -e ktlife -o /tmp/ktlife.dat sh -c 'cd $KT && echo 5 > create && printf hello > writers/5/queue && printf world > writers/5/queue && echo 5 > stop' >/dev/null"
	run "trace-cmd report -i /tmp/ktlife.dat 2>/dev/null | grep ktlife_"
	run "rmmod ktlife"

	step unload "Unload with busy writers, the correct way"
	run "insmod $KO"
	for id in 1 2 3 4 5 6 7 8; do
		echo "$id" >"$KT/create"
		echo "$id" >"$KT/park"
		fill "$id" >/dev/null
	done
	for id in 1 3 5 7; do
		echo "$id" >"$KT/unpark"
	done
	show_status
	run "rmmod ktlife"
	left=$(kt_thread_count_after_stop)
	echo "ktlife threads left: $left"
	[ "$left" -eq 0 ] || fail "ktlife threads left after rmmod"
}

case "$(cat /proc/cmdline)" in
*ktlife.part=2*) part2 ;;
*) part1 ;;
esac
exit "$failed"
