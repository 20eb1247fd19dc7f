// SPDX-License-Identifier: GPL-2.0
/// Find kthread sleeps that can miss kthread_stop()'s wake-up.
///
/// kthread_stop() sets the thread's "should stop" flag, then wakes it with
/// wake_up_process(), which does nothing to a task that is still
/// TASK_RUNNING. A thread that tests kthread_should_stop(), then does
/// set_current_state(S); schedule(); without testing again in between,
/// can be asked to stop just after its test: the wake-up finds it running,
/// then it sets S and sleeps, and nothing wakes it again. kthread_stop()
/// waits for it forever (rmmod in D state, a hung-task report).
///
/// How bad depends on S. TASK_UNINTERRUPTIBLE, TASK_IDLE, TASK_KILLABLE:
/// the sleep is never broken, an ERROR. TASK_INTERRUPTIBLE: since 6.1
/// (commit a7c01fa93aeb, "signal: break out of wait loops on kthread_stop
/// ()") kthread_stop() also sets TIF_NOTIFY_SIGNAL, so schedule() in an
/// interruptible state returns at once and the loop gets to test again;
/// the hang is real only on older kernels, and other wake-ups (for work)
/// are still lost: a WARNING. Any other state, or a variable: a WARNING.
///
/// Reported: set_current_state(S) or __set_current_state(S), or
/// prepare_to_wait(wq, wait, S) (and _exclusive), S not
/// TASK_RUNNING, after a kthread_should_stop() test on some path (or, in a
/// function that does not test the stop itself but is called by one that
/// does, from its entry: a sleep helper of a stop loop), then
/// schedule() (io_schedule(), schedule_preempt_disabled()) with no
/// kthread_should_stop() in between, in a function that tests
/// kthread_should_stop(). A call to a function of the same file that
/// tests it (at any depth) counts as the test.
///
/// A re-test of the work condition between the two ("if (list_empty(q))
/// schedule();") does not help the stop: the thread sees no work and
/// sleeps. Only a kthread_should_stop() after the state is set does.
///
/// The fix: test after setting the state, which the wake-up then cannot
/// miss:
///	set_current_state(TASK_INTERRUPTIBLE);
///	if (!kthread_should_stop() && !have_work())
///		schedule();
///	__set_current_state(TASK_RUNNING);
/// or use wait_event_*() with kthread_should_stop() in its condition.
///
/// Not reported: schedule_timeout*(), or a timer armed between the two
/// (mod_timer(), hrtimer_start()), whose sleep ends by itself (the stop
/// is only late; see the kernel's msleep() loops); an interruptible sleep
/// in a file that calls allow_signal() (its threads are stopped with
/// signals, which end it); a sleep before the first stop test (a wait for
/// a start signal: a kthread_stop() that early is lost too, but rarely
/// comes then). False positives: a condition tested between the two
/// through a function of another file that tests kthread_should_stop();
/// a sleep nobody stops with kthread_stop().
//
// Confidence: High
// Options: --no-includes --include-headers
// Comments: part of ktlife's kthread rules, scripts/kthread-lint.sh

virtual report
virtual org
virtual context

@initialize:python@
@@
import re

kls = {}


def kls_reset(f):
    if kls.get('file') != f:
        kls.clear()
        kls.update(file=f, direct=set(), calls=set(), helpers=None,
                   signals=False)


def kls_ishelper(f):
    """Whether f tests for a stop, itself or through its callees; the
    closure is computed once all the calls of the file are known."""
    if kls.get('helpers') is None:
        helpers = set(kls.get('direct', ()))
        grew = True
        while grew:
            grew = False
            for (caller, callee) in kls.get('calls', ()):
                if callee in helpers and caller not in helpers:
                    helpers.add(caller)
                    grew = True
        kls['helpers'] = helpers
    return f in kls['helpers']


def kls_sleeper(f):
    """A function that does not test the stop itself but is called by one
    that does: its sleep comes after its caller's test (a sleep helper
    called from a stop loop)."""
    return not kls_ishelper(f) and any(
        callee == f and kls_ishelper(caller)
        for (caller, callee) in kls.get('calls', ()))


def kls_emit(p1, p2, ss, state, sc, mode):
    s = re.sub(r'\s+', '', state)
    st = '%s(%s)' % (ss, state)
    if s == 'TASK_RUNNING':
        return
    # Signals break an interruptible sleep, and this file uses them.
    if 'TASK_INTERRUPTIBLE' in s and kls.get('signals'):
        return
    if 'TASK_INTERRUPTIBLE' not in s and \
       re.search(r'UNINTERRUPTIBLE|TASK_IDLE|KILLABLE', s):
        msg = ("ERROR: %s with no kthread_should_stop() test before "
               "%s() on line %s: a kthread_stop() just before it is "
               "lost and this sleep never ends, so kthread_stop() hangs; "
               "test kthread_should_stop() after setting the state"
               % (st, sc, p2[0].line))
    elif 'TASK_INTERRUPTIBLE' in s:
        msg = ("WARNING: %s with no kthread_should_stop() test before "
               "%s() on line %s: a kthread_stop() just before it is "
               "lost; before 6.1 kthread_stop() then hangs (since 6.1 its "
               "TIF_NOTIFY_SIGNAL ends the sleep); test "
               "kthread_should_stop() after setting the state"
               % (st, sc, p2[0].line))
    else:
        msg = ("WARNING: state %s with no kthread_should_stop() test "
               "before %s() on line %s: a kthread_stop() just before it "
               "is lost, and the sleep may never end; test "
               "kthread_should_stop() after setting the state"
               % (st, sc, p2[0].line))
    msg = msg.replace(': ', ': %s(): ' % p1[0].current_element, 1)
    if mode == 'org':
        cocci.print_main("%s: lost stop wake-up" % msg.split(':')[0], p1)
        cocci.print_secs(sc, p2)
    else:
        coccilib.report.print_report(p1[0], msg)

// Every file starts afresh: what the rules below learn is per file.
@kls_file@
identifier f;
position p;
@@
f@p(...) { ... }

@script:python@
p << kls_file.p;
@@
kls_reset(p[0].file)

// Functions of the file that test kthread_should_stop(), or call one
// that does, at any depth: a call to one counts as a test, and only these
// are looked at. Found from the calls themselves: matching function
// bodies would cost three times as much.
@kls_helper@
identifier h = {kthread_should_stop, kthread_freezable_should_stop};
position p;
@@
h@p(...)

@script:python@
p << kls_helper.p;
@@
kls['direct'].add(p[0].current_element)

@kls_calls@
identifier g;
position p;
@@
g@p(...)

@script:python@
g << kls_calls.g;
p << kls_calls.p;
@@
kls['calls'].add((p[0].current_element, g))

// A file that lets its threads take signals may stop them with one.
@kls_signals@
identifier as = {allow_signal, allow_kernel_signal};
position p;
@@
as@p(...)

@script:python@
p << kls_signals.p;
@@
kls['signals'] = True

@kls_r exists@
identifier fn : script:python () { kls_ishelper(fn) };
identifier hh : script:python () { kls_ishelper(hh) };
identifier sc = {schedule, io_schedule, schedule_preempt_disabled};
identifier ss = {set_current_state, __set_current_state};
expression S;
position p1, p2;
@@
fn(...) {
  ... when any
  \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|hh(...)\)
  ... when != \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|hh(...)\)
  ss@p1(S);
  ... when != \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|hh(...)\)
      when != \(set_current_state\|__set_current_state\)(...)
      when != \(mod_timer\|add_timer\|hrtimer_start\|hrtimer_start_range_ns\)(...)
  sc@p2();
  ... when any
}

@script:python depends on report@
p1 << kls_r.p1;
p2 << kls_r.p2;
ss << kls_r.ss;
S << kls_r.S;
sc << kls_r.sc;
@@
kls_emit(p1, p2, ss, S, sc, 'report')

// The same in a sleep helper, whose caller tested the stop before the
// call: from the helper's entry to its schedule().
@kls_h exists@
identifier fn : script:python () { kls_sleeper(fn) };
identifier sc = {schedule, io_schedule, schedule_preempt_disabled};
identifier ss = {set_current_state, __set_current_state};
expression S;
position p1, p2;
@@
fn(...) {
  ... when != \(set_current_state\|__set_current_state\)(...)
  ss@p1(S);
  ... when != \(set_current_state\|__set_current_state\)(...)
      when != \(mod_timer\|add_timer\|hrtimer_start\|hrtimer_start_range_ns\)(...)
  sc@p2();
  ... when any
}

@script:python depends on report@
p1 << kls_h.p1;
p2 << kls_h.p2;
ss << kls_h.ss;
S << kls_h.S;
sc << kls_h.sc;
@@
kls_emit(p1, p2, ss, S, sc, 'report')

// The same with prepare_to_wait(), which sets the state as it queues the
// task (NOVA's snapshot cleaner, NVSL/linux-nova#156).
@kls_pw exists@
identifier fn : script:python () { kls_ishelper(fn) };
identifier hh : script:python () { kls_ishelper(hh) };
identifier sc = {schedule, io_schedule, schedule_preempt_disabled};
identifier pw = {prepare_to_wait, prepare_to_wait_exclusive};
expression WQ, W, S;
position p1, p2;
@@
fn(...) {
  ... when any
  \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|hh(...)\)
  ... when != \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|hh(...)\)
  pw@p1(WQ, W, S);
  ... when != \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|hh(...)\)
      when != \(set_current_state\|__set_current_state\|finish_wait\)(...)
      when != \(mod_timer\|add_timer\|hrtimer_start\|hrtimer_start_range_ns\)(...)
  sc@p2();
  ... when any
}

@script:python depends on report@
p1 << kls_pw.p1;
p2 << kls_pw.p2;
pw << kls_pw.pw;
S << kls_pw.S;
sc << kls_pw.sc;
@@
kls_emit(p1, p2, pw, S, sc, 'report')

@script:python depends on org@
p1 << kls_r.p1;
p2 << kls_r.p2;
ss << kls_r.ss;
S << kls_r.S;
sc << kls_r.sc;
@@
kls_emit(p1, p2, ss, S, sc, 'org')

@depends on context exists@
identifier fn : script:python () { kls_ishelper(fn) };
identifier hh : script:python () { kls_ishelper(hh) };
identifier sc = {schedule, io_schedule, schedule_preempt_disabled};
identifier ss = {set_current_state, __set_current_state};
expression S != TASK_RUNNING;
@@
fn(...) {
  ... when any
  \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|hh(...)\)
  ... when != \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|hh(...)\)
* ss(S);
  ... when != \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|hh(...)\)
      when != \(set_current_state\|__set_current_state\)(...)
      when != \(mod_timer\|add_timer\|hrtimer_start\|hrtimer_start_range_ns\)(...)
* sc();
  ... when any
}
