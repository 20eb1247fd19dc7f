// SPDX-License-Identifier: GPL-2.0
/// Find kthreads that can return on their own and are stopped with
/// kthread_stop() while nobody holds a reference to their task.
///
/// kthread_stop(k) dereferences k. A kthread's task_struct is freed soon
/// after its function returns, so if the thread can return (or call
/// kthread_exit()) before kthread_should_stop() is true, a later
/// kthread_stop(k) is a use-after-free, unless a reference taken before
/// the thread could run keeps the task_struct. This is CVE-2021-28691
/// (xen-netback) and the bug fixed in kernel/dma/map_benchmark.c, ext4's
/// kmmpd and the hwrng core.
///
/// How it decides: on the thread function's control flow (lib/
/// kthread_paths.py), whether an exit can be reached while the stop is not
/// known to be requested. Known: past the false side of a loop on
/// !kthread_should_stop(), the true side of "if (kthread_should_stop())",
/// of "if (wait_event_*timeout(wq, kthread_should_stop(), t))" (the timed
/// wait returns non-zero only when its condition came true), of a helper
/// or variable that is such a test, and after a call to a function of the
/// file that itself returns only once the stop is known. An interruptible
/// wait's non-zero value is a signal, which a kthread gets only from
/// kthread_stop() (since 6.1), unless its file calls allow_signal(). What
/// counts is the value the test had on the path: a kthread_should_stop()
/// in a wait's condition does not make the exits after the wait safe.
///
/// Reported: every such exit of a function passed to kthread_run(),
/// kthread_create*() or kthread_run_on_cpu() in the same file (or of a
/// function of the file whose value it returns, "return loop(data);"; and
/// kthread_exit() calls in the functions it calls), when a task it runs
/// (the same variable, struct field or array, followed through plain
/// assignments, rcu_assign_pointer() and per-CPU slots within the file) is
/// woken and passed to kthread_stop() and has no get_task_struct(), or only
/// one taken after the thread may have run (after kthread_run(), or after
/// wake_up_process() in the same function): the late reference.
///
/// The fix: take get_task_struct() right after kthread_create(), before
/// the thread is woken, and stop with kthread_stop_put() (or kthread_stop()
/// + put_task_struct() before 6.7); or make the thread wait for
/// kthread_should_stop() before it returns.
///
/// False positives: an exit that data makes impossible while a stopper
/// may still come ("if (!work) break;" where work is NULL only once the
/// stop was seen), a stop protocol of the driver's own (a flag, or the
/// task pointer cleared under a lock its stopper takes), one name shared
/// by two threads' tasks in one file. Missed: a task stopped in another
/// file or through a function parameter, thread functions of another
/// file, a reference taken in another function than the wake (its order
/// is not known: taken as early), exits hidden in macros, function
/// pointers. The corpus (selftests/corpus/) measures what it sees.
//
// Confidence: High
// Options: --no-includes --include-headers
// Requires: PYTHONPATH=scripts/coccinelle/kthread/lib (kthread-lint.sh)
// Comments: part of ktlife's kthread rules, scripts/kthread-lint.sh

virtual report

@initialize:python@
@@
import kthread_paths as paths
import kthread_tasks as tasks


def ktl_report(fn, p):
    """The unsafe exits of function fn of p's file, for every thread that
    runs it and is stopped without a timely reference."""
    info = paths.file_info(p.file)
    for tf in sorted(tasks.threadfns()):
        bodies = info.thread_bodies([tf])
        if fn in bodies:
            exits = [e for e in info.exits(fn) if not e.safe]
        elif fn in info.called_from(bodies):
            exits = [e for e in info.exits(fn)
                     if not e.safe and e.how.endswith('()')]
        else:
            continue
        for (pc, kf, k) in tasks.created(tf):
            if not exits or not tasks.woken(kf, k):
                continue
            ref, g = tasks.reference(pc, kf, k, info.path)
            stops = tasks.stops(k, ('stop',) if ref == 'none' else
                                ('stop', 'stop_put'))
            if ref == 'early' or not stops:
                continue
            held = ("holding no reference" if ref == 'none' else
                    "holding only the reference taken on line %s, after "
                    "the thread may have run" % g.line)
            for e in exits:
                if not tasks.once(p.file, e.tok.line, e.tok.col):
                    continue
                print("%s:%d:%d-%d: ERROR: %s(): %s here before "
                      "kthread_should_stop() is true, and the task created "
                      "on line %s is stopped on line %s %s: use-after-free "
                      "once the thread has returned; take get_task_struct() "
                      "before it can run and stop it with kthread_stop_put()"
                      % (p.file, e.tok.line, e.tok.col,
                         e.tok.col + len(e.tok.s), fn,
                         "can return" if e.how == 'return' else
                         "can exit (%s)" % e.how, pc.line, stops[0].line,
                         held))
            return

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
                put_task_struct, wake_up_process, kthread_unpark};
position p;
@@
f@p(E)

@script:python@
E << ktl_sites.E;
f << ktl_sites.f;
p << ktl_sites.p;
@@
tasks.site(f, E, p[0])

// Then each function of the file, its paths judged.
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
