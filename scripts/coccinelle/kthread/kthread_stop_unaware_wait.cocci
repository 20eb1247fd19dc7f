// SPDX-License-Identifier: GPL-2.0
/// Find kthreads that sleep where kthread_stop() cannot end the sleep.
///
/// kthread_stop() sets the stop flag, wakes the thread once, and (since
/// 6.1) makes signal_pending() true, which ends interruptible sleeps only.
/// A thread asleep in wait_event(wq, cond) wakes, finds cond false and
/// sleeps again: the stop waits until cond happens to come true, which for
/// an idle device may be never (rmmod in D state, hung-task reports);
/// wait_for_completion()'s completion knows nothing of the stop either.
/// A thread in msleep(), ssleep(), or in a timed wait whose condition
/// lacks kthread_should_stop(), sleeps on to the end of its timeout: the
/// post's time.Sleep, and each stop (rmmod, unbind, suspend) waits that
/// long.
///
/// Reported, in a function passed to kthread_run(), kthread_create*() or
/// kthread_run_on_cpu() in the same file (or one that function calls
/// directly: there, sleeps and untimed waits only, since a timed wait in
/// a helper is most often a device's answer awaited with a time-out, and
/// two calls down a big file's shared helpers are not the thread's idle
/// sleep), whose task (the same variable, struct field or array, through plain
/// assignments) is passed to kthread_stop() or kthread_stop_put():
///   ERROR: an untimed wait no signal ends (wait_event(),
///   wait_event_idle*(), wait_event_killable*(), wait_event_lock_irq(),
///   wait_event_cmd(), swait_event_idle_exclusive(), wait_var_event*())
///   whose condition does not test the stop (kthread_should_stop(), or a
///   function or variable of the file that is such a test), and
///   wait_for_completion(), _io() and _killable();
///   WARNING: msleep(), ssleep(), wait_for_completion*_timeout(), a timed
///   uninterruptible, idle or killable wait without the stop in its
///   condition (each sleeps again when woken early), or a re-slept
///   schedule_timeout_*() (below), of more than 100 ms or of a length
///   that is not a literal: the delay it costs each stop is in the
///   message.
///
/// schedule_timeout_uninterruptible(), _idle(), _killable() and
/// _interruptible() return when the stop's wake-up (or, interruptible, its
/// TIF_NOTIFY_SIGNAL) finds the thread asleep in them: reported only in a
/// loop that does not test the stop, which sleeps again (or, interruptible,
/// spins) until its time is out: "while (t) t = schedule_timeout_*(t);".
///
/// Not reported: interruptible and freezable waits (since 6.1 the stop
/// ends them; before 6.1 they had the same bug), a bare schedule_timeout_*()
/// in a loop that tests the stop (a stop that lands just before the sleep
/// is late by one sleep, not lost), sleeps of 100 ms or less, a
/// wait_for_completion*() on a completion that another thread function of
/// the file (or a function it calls) completes, or that the stopper
/// completes before its kthread_stop() in the same function. A condition tests the stop when it
/// calls kthread_should_stop() or a function of the file that does, at any
/// depth.
///
/// The fix: wait_event_idle(wq, have_work() || kthread_should_stop()), or
/// for a period wait_event_idle_timeout(wq, kthread_should_stop(), t), and
/// test kthread_should_stop() after the wait; for a completion, wait on a
/// condition instead, or complete it before kthread_stop().
///
/// False positives: a stopper that makes the condition true (a flag, a
/// complete()) before it calls kthread_stop(); a wait for I/O or a
/// device's answer that always comes (the stop waits for it, boundedly);
/// a condition that calls a
/// function of another file which tests kthread_should_stop(); a condition
/// that becomes true by itself (work that keeps coming). Missed: the same
/// in a task stopped in another file, sleeps hidden in macros or reached
/// through function pointers or two calls down; jiffies are read as Debian's HZ=250.
//
// Confidence: High (ERROR), Moderate (WARNING)
// Options: --no-includes --include-headers
// Requires: PYTHONPATH=scripts/coccinelle/kthread/lib (kthread-lint.sh)
// Comments: part of ktlife's kthread rules, scripts/kthread-lint.sh

virtual report

@initialize:python@
@@
import kthread_paths as paths
import kthread_tasks as tasks


def ktl_sibling_completes(fn, arg, info):
    """Another thread function of the file, or a function it calls,
    completes arg (ring_buffer_benchmark's consumer thread completes the
    producer's read_done in ring_buffer_consumer())."""
    k = tasks.key(arg, fn)
    if k is None:
        return False
    # The threads that reach fn cannot be the ones that complete it.
    others = [t for t in tasks.threadfns()
              if fn not in info.called_from(info.thread_bodies([t]))]
    reach = info.called_from(info.thread_bodies(others)) if others else set()
    return any(
        kind == 'complete' and q.current_element != fn and
        q.current_element in reach
        for (kind, q) in tasks.of(k))


def ktl_stopper_completes(arg, fn, stops):
    """arg is completed, before a kthread_stop() of the task, in the
    function that stops it: the stopper ends the wait first."""
    k = tasks.key(arg, fn)
    return k is not None and any(
        kind == 'complete' and q.current_element == s.current_element and
        int(q.line) < int(s.line)
        for (kind, q) in tasks.of(k) for s in stops)


def ktl_report(fn, p):
    """The sleeps of function fn that a stop of a thread running it does
    not end."""
    info = paths.file_info(p.file)
    for tf in sorted(tasks.threadfns()):
        stops = [(pc, s) for (pc, kf, k) in tasks.created(tf)
                 for s in tasks.stops(k, ('stop', 'stop_put'))]
        if not stops:
            continue
        pc, ps = stops[0]
        for (f, t, name, d, ms, arg) in info.unaware([tf]):
            if f != fn or not tasks.once(p.file, t.line, t.col):
                continue
            if name.startswith('wait_for_completion') and \
                    (ktl_sibling_completes(fn, arg, info) or
                     ktl_stopper_completes(arg, fn, [s for (c, s) in stops])):
                continue
            if d is None:
                what = ("for a completion, which kthread_stop() does not "
                        "complete" if name.startswith('wait_for_completion')
                        else "for a condition without kthread_should_stop()")
                print("%s:%d:%d-%d: ERROR: %s(): sleeps here in %s() %s, "
                      "and the task created on line %s is stopped on line "
                      "%s: a stop that comes while it sleeps waits until it "
                      "is woken for other reasons, maybe forever; wait for "
                      "a condition with kthread_should_stop() in it"
                      % (p.file, t.line, t.col, t.col + len(t.s), fn, name,
                         what, pc.line, ps.line))
                continue
            if ms is not None and ms <= 100:
                continue
            cost = "%s (%s)" % (d, "%g ms" % ms if ms is not None else
                                "not a literal")
            print("%s:%d:%d-%d: WARNING: %s(): %s() here does not end on "
                  "kthread_stop(): the stop of the task created on line %s "
                  "(line %s) waits out up to %s; wait with "
                  "wait_event_idle_timeout(wq, kthread_should_stop(), t) "
                  "instead" % (p.file, t.line, t.col, t.col + len(t.s), fn,
                               name, pc.line, ps.line, cost))

// The facts of each file: its locals of task type, creations, copies of
// task pointers and calls on them.
@ktl_file@
identifier f;
position p;
@@
f@p(...) { ... }

@script:python@
p << ktl_file.p;
@@
tasks.reset(p[0].file)

@ktl_local@
local idexpression struct task_struct *L;
position p;
@@
L@p

@script:python@
p << ktl_local.p;
L << ktl_local.L;
@@
tasks.local(p[0].current_element, L)

@ktl_creat@
expression T, F;
identifier kf = {kthread_run, kthread_create, kthread_create_on_node,
                 kthread_create_on_cpu, kthread_run_on_cpu};
position pc;
@@
T = kf@pc(F, ...)

@script:python@
T << ktl_creat.T;
F << ktl_creat.F;
kf << ktl_creat.kf;
pc << ktl_creat.pc;
@@
tasks.creation(T, F, kf, pc[0])

@ktl_copy@
struct task_struct *L;
expression E;
position p;
@@
(
L = get_task_struct(E)@p
|
E = get_task_struct(L)@p
|
rcu_assign_pointer@p(E, L)
|
WRITE_ONCE@p(E, L)
|
L = E@p
|
E = L@p
)

@script:python@
L << ktl_copy.L;
E << ktl_copy.E;
p << ktl_copy.p;
@@
tasks.copy(L, E, p[0].current_element)

@ktl_sites@
expression E;
identifier f = {kthread_stop, kthread_stop_put, get_task_struct,
                put_task_struct, wake_up_process, kthread_unpark, complete,
                complete_all};
position p;
@@
f@p(E)

@script:python@
E << ktl_sites.E;
f << ktl_sites.f;
p << ktl_sites.p;
@@
tasks.site(f, E, p[0])

// Then each function of the file, its sleeps judged.
@ktl_fn@
identifier f;
position p;
@@
f@p(...) { ... }

@script:python depends on report@
f << ktl_fn.f;
p << ktl_fn.p;
@@
ktl_report(f, p[0])
