// SPDX-License-Identifier: GPL-2.0
/// Find kthreads that can exit on their own and are still reaped with a
/// bare kthread_stop(), holding no reference to their task.
///
/// kthread_stop(k) dereferences k. A kthread's task_struct is freed soon
/// after its function returns, so if the thread can return (or call
/// kthread_exit()) before kthread_should_stop() is true, and nobody holds
/// a reference, a later kthread_stop(k) is a use-after-free. This is
/// CVE-2021-28691 (xen-netback) and the bug fixed in kernel/dma/
/// map_benchmark.c, ext4's kmmpd and the hwrng core.
///
/// Reported: an exit of a thread function, reached on a path on which
/// kthread_should_stop() was never seen true: a return (or kthread_exit(),
/// kthread_complete_and_exit(), do_exit()) before any stop test, inside
/// the body of a stop loop before it tests again, after an
/// "if (kthread_should_stop()) ..." in a loop body, or after the loop
/// breaks out (or leaves by goto, or by the other half of a
/// "!kthread_should_stop() && cond" condition) with no stop test on the
/// way. The function must be passed to kthread_run(), kthread_create*() or
/// kthread_run_on_cpu() in the same file, and the task that call returns
/// (the same variable or struct field, followed through plain assignments,
/// rcu_assign_pointer(), rcu_dereference*() and per-CPU slots within the
/// file) must be passed to kthread_stop(), with no get_task_struct() and no
/// kthread_stop_put() on it anywhere in the file, and, if it was only
/// kthread_create()d, be woken (wake_up_process(), kthread_unpark()).
///
/// Stop tests: kthread_should_stop(), kthread_freezable_should_stop(),
/// kthread_parkme() (a parked thread goes on only when unparked, which
/// kthread_stop() does), and a call to a function of the same file that
/// calls one of them, at any depth. Not reported: an exit that
/// returns what a function of the file returns ("return thread_loop(d);":
/// that function's exits are its own), an exit or break under
/// "if (msleep_interruptible(...))" and the like (a kthread gets a signal
/// only from kthread_stop(), unless its file calls allow_signal()), paths
/// through BUG() or panic().
///
/// The fix: hold a reference from creation, before the thread can run
/// (get_task_struct() right after kthread_create(), then wake it), and
/// reap with kthread_stop_put() (or kthread_stop() + put_task_struct()
/// before 6.6); or make the thread wait for kthread_should_stop() before it
/// returns, as ext4's kmmpd and hwrng do now.
///
/// False positives: an exit no execution can reach while the stopper may
/// still call kthread_stop() (a path that data makes impossible, such as
/// "if (!work) break;" where work is NULL only once the stop was seen; a
/// dead argument check; a stop protocol of the driver's own, such as a
/// task pointer cleared under the lock its stopper takes); a task variable
/// or field name shared by two threads of one file; an
/// "if (kthread_should_stop()) x = 1;" whose branch does not jump; a signal
/// test inside a wrapper function. Missed: a task stopped through a
/// function parameter or in another file, creation results returned to
/// the caller, thread functions of another file, a reference held through
/// another object, and the exits of do-while loop bodies and unbraced loop
/// bodies after the first iteration (this spatch cannot match inside
/// them).
//
// Confidence: Moderate
// Options: --no-includes --include-headers
// Comments: part of ktlife's kthread rules, scripts/kthread-lint.sh

virtual report
virtual org

@initialize:python@
@@
import re

ktl = {}


def ktl_reset(f):
    if ktl.get('file') != f:
        ktl.clear()
        ktl.update(file=f, direct=set(), calls=set(), helpers=None,
                   threadfns=set(), defined=set(), locals=set(), parent={},
                   creats=[], sites=[], done=set())


def ktl_key(e, fn):
    """The task a task-valued expression names, as a string: "->field"
    for a struct field (of any struct: the same field name is the same
    task), "fn:name" for a local or a parameter, "name" for a global,
    "...[]" for an array or per-CPU element; None for anything else (a
    call, ...). READ_ONCE(), rcu_dereference*() and xchg() are seen
    through."""
    s = re.sub(r'\s+', '', e)
    s = re.sub(r'^\(structtask_struct\*\)', '', s)
    while True:
        m = re.match(r'^(?:READ_ONCE|rcu_dereference\w*|rcu_access_pointer'
                     r'|xchg)\((.*?)(?:,[^,()]*)?\)$', s)
        if not m:
            break
        s = m.group(1)
    s = s.lstrip('&')
    m = re.match(r'^\*?(?:per_cpu_ptr|per_cpu)\((.*),[^,()]*\)$', s)
    if m:
        k = ktl_key(m.group(1), fn)
        return k + '[]' if k else None
    prev = None
    while prev != s:
        prev = s
        s = re.sub(r'\[[^\[\]]*\]', '[]', s)
    m = re.search(r'(?:->|\.)(\w+(?:\[\])*)$', s)
    if m:
        return '->' + m.group(1)
    m = re.match(r'^\*?\(?(\w+(?:\[\])*)\)?$', s)
    if not m:
        return None
    name = m.group(1)
    if name in ('NULL', 'current'):
        return None
    if (fn, name.split('[')[0]) in ktl['locals']:
        return fn + ':' + name
    return name


def ktl_isthread(f):
    return f in ktl.get('threadfns', ())


def ktl_ishelper(f):
    """Whether f tests for a stop, itself or through its callees; the
    closure is computed once all the calls of the file are known."""
    if ktl.get('helpers') is None:
        helpers = set(ktl.get('direct', ()))
        grew = True
        while grew:
            grew = False
            for (caller, callee) in ktl.get('calls', ()):
                if callee in helpers and caller not in helpers:
                    helpers.add(caller)
                    grew = True
        ktl['helpers'] = helpers
    return f in ktl['helpers']


def ktl_isdefined(f):
    return f in ktl.get('defined', ())


def ktl_find(k):
    par = ktl['parent']
    while par.get(k, k) != k:
        k = par[k]
    return k


def ktl_union(a, b):
    if a is None or b is None:
        return
    a, b = ktl_find(a), ktl_find(b)
    if a != b:
        ktl['parent'][a] = b


def ktl_fns(f):
    """The function names an expression passed as threadfn may be."""
    return set(re.findall(r'[A-Za-z_]\w*', f)) if '?' in f else \
        set([re.sub(r'^[&(\s]*|[)\s]*$', '', f)])


def ktl_site(kind, e, p):
    ktl['sites'].append((kind, ktl_key(e, p[0].current_element), p[0]))


def ktl_class(key):
    """The sites (kind, position) of the task key names."""
    if key is None:
        return []
    cls = ktl_find(key)
    return [(k, q) for (k, kk, q) in ktl['sites']
            if kk is not None and ktl_find(kk) == cls]


def ktl_keys_of(key):
    cls = ktl_find(key)
    keys = set(ktl['parent']) | set(ktl['parent'].values()) | set([key])
    return [k for k in keys if ktl_find(k) == cls]


def ktl_judge(fn):
    """For thread function fn: (creation, kthread_stop() site) of a task
    that runs fn, may run before it is stopped, is stopped with a bare
    kthread_stop() and has no reference taken, else None."""
    for (fns, key, pc, kf) in ktl['creats']:
        if fn not in fns or key is None:
            continue
        mine = ktl_class(key)
        if any(k in ('get', 'stop_put') for (k, q) in mine):
            continue
        # kthread_create() alone: the thread runs only once woken.
        if kf.startswith('kthread_create') and \
           not any(k == 'wake' for (k, q) in mine):
            continue
        stops = [q for (k, q) in mine if k == 'stop']
        if stops:
            return (pc, stops[0])
    return None


def ktl_emit(p, what, mode):
    fn = p[0].current_element
    if (p[0].line, p[0].column) in ktl['done']:
        return
    r = ktl_judge(fn)
    if r is None:
        return
    ktl['done'].add((p[0].line, p[0].column))
    pc, ps = r
    msg = ("ERROR: %s(): %s, and the task created on line %s is reaped "
           "with a bare kthread_stop() on line %s: use-after-free once the "
           "thread has exited; hold get_task_struct() from creation and "
           "reap with kthread_stop_put()" % (fn, what, pc.line, ps.line))
    if mode == 'org':
        cocci.print_main("%s() exits before kthread_should_stop()" % fn, p)
        cocci.print_secs("kthread_stop() with no reference", [ps])
    else:
        coccilib.report.print_report(p[0], msg)

// Every file starts afresh: what the rules below learn is per file.
@ktl_file@
identifier f;
position p;
@@
f@p(...) { ... }

@script:python@
f << ktl_file.f;
p << ktl_file.p;
@@
ktl_reset(p[0].file)
ktl['defined'].add(f)

// Locals (and parameters) holding tasks: their names are per function.
@ktl_local1@
local idexpression struct task_struct *L;
position p;
@@
L@p

@script:python@
p << ktl_local1.p;
L << ktl_local1.L;
@@
ktl['locals'].add((p[0].current_element, L))

@ktl_local2@
local idexpression struct task_struct **L;
position p;
@@
L@p

@script:python@
p << ktl_local2.p;
L << ktl_local2.L;
@@
ktl['locals'].add((p[0].current_element, L))

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
fns = ktl_fns(F)
ktl['threadfns'] |= fns
ktl['creats'].append((fns, ktl_key(T, pc[0].current_element), pc[0], kf))

// Plain copies of a task pointer (also through rcu_assign_pointer() and
// WRITE_ONCE()), and get_task_struct()'s return value, name the same task.
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
fn = p[0].current_element
if not re.search(r'\bkthread_\w+\s*\(', E):
    ktl_union(ktl_key(L, fn), ktl_key(E, fn))

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
ktl_site({'kthread_stop': 'stop', 'kthread_stop_put': 'stop_put',
          'get_task_struct': 'get', 'put_task_struct': 'put',
          'wake_up_process': 'wake', 'kthread_unpark': 'wake',
          'complete': 'complete', 'complete_all': 'complete'}[f], E, p)

// Functions of the file that test kthread_should_stop() (or park, to be
// unparked by kthread_stop()), or call one that does, at any depth: a
// call to one counts as a stop test (a wait-for-stop helper, a "has work"
// condition). Found from the calls themselves: matching function bodies
// would cost three times as much.
@ktl_helper@
identifier h = {kthread_should_stop, kthread_freezable_should_stop,
                kthread_parkme};
position p;
@@
h@p(...)

@script:python@
p << ktl_helper.p;
@@
ktl['direct'].add(p[0].current_element)

@ktl_calls@
identifier g;
position p;
@@
g@p(...)

@script:python@
g << ktl_calls.g;
p << ktl_calls.p;
@@
ktl['calls'].add((p[0].current_element, g))

// Exits that are not the thread's own decision: through a function of
// the file ("return thread_loop(data);", whose exits are its own), or in
// answer to a signal, which a kthread only gets from kthread_stop() (its
// TIF_NOTIFY_SIGNAL, since 6.1) unless the file allows signals.
@ktl_safe_exit@
identifier hh : script:python () { ktl_ishelper(hh) };
identifier g : script:python () { ktl_isdefined(g) };
position pe;
@@
(
return@pe <+... \(kthread_should_stop(...)\|hh(...)\) ...+>;
|
return@pe g(...);
)

@ktl_signals@
@@
\(allow_signal\|allow_kernel_signal\)(...)

@ktl_sig_exit depends on !ktl_signals@
identifier iw = {msleep_interruptible, wait_event_interruptible,
                 wait_event_interruptible_exclusive, wait_event_freezable,
                 wait_for_completion_interruptible, down_interruptible,
                 signal_pending};
position pe, pb;
@@
(
  if (\(iw(...)\|iw(...) < 0\|iw(...) != 0\)) return@pe ...;
|
  if (\(iw(...)\|iw(...) < 0\|iw(...) != 0\)) break@pb;
|
  if (\(iw(...)\|iw(...) < 0\|iw(...) != 0\)) { ... return@pe ...; }
|
  if (\(iw(...)\|iw(...) < 0\|iw(...) != 0\)) { ... break@pb; }
)

// A: an exit with no stop test on the way from the function's entry. The
// entry of an endless loop is cut there: its exits are B's and C's (the
// control flow graph has an edge out of for (;;) at its head).
@ktl_a exists@
identifier tf : script:python () { ktl_isthread(tf) };
identifier hh : script:python () { ktl_ishelper(hh) };
position pe != {ktl_safe_exit.pe, ktl_sig_exit.pe};
statement S;
symbol true;
@@
tf(...) {
  ... when != \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\)
      when != BUG(...)
      when != panic(...)
      when != for (;;) S
      when != while (1) S
      when != while (true) S
(
  return@pe ...;
|
  kthread_exit@pe(...);
|
  kthread_complete_and_exit@pe(...);
|
  do_exit@pe(...);
|
  module_put_and_kthread_exit@pe(...);
)
  ... when any
}

@script:python depends on report@
p << ktl_a.pe;
@@
ktl_emit(p, "can exit here before it tests kthread_should_stop()", 'report')

@script:python depends on org@
p << ktl_a.pe;
@@
ktl_emit(p, "can exit here before it tests kthread_should_stop()", 'org')

// B: an exit in the body of a loop that runs only while the thread is not
// asked to stop (a stop test in its condition, or no condition), before
// the body tests again.
@ktl_b exists@
identifier tf : script:python () { ktl_isthread(tf) };
identifier hh : script:python () { ktl_ishelper(hh) };
position pe != {ktl_safe_exit.pe, ktl_sig_exit.pe};
expression E1, E2;
symbol true;
@@
tf(...) {
  ... when any
(
  while (<+... \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\) ...+>) {
  ... when != \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\)
      when != BUG(...)
      when != panic(...)
(
  return@pe ...;
|
  kthread_exit@pe(...);
|
  kthread_complete_and_exit@pe(...);
|
  do_exit@pe(...);
|
  module_put_and_kthread_exit@pe(...);
)
  ... when any
  }
|
  for (E1; <+... \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\) ...+>; E2) {
  ... when != \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\)
      when != BUG(...)
      when != panic(...)
(
  return@pe ...;
|
  kthread_exit@pe(...);
|
  kthread_complete_and_exit@pe(...);
|
  do_exit@pe(...);
|
  module_put_and_kthread_exit@pe(...);
)
  ... when any
  }
|
  for (;;) {
  ... when != \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\)
      when != BUG(...)
      when != panic(...)
(
  return@pe ...;
|
  kthread_exit@pe(...);
|
  kthread_complete_and_exit@pe(...);
|
  do_exit@pe(...);
|
  module_put_and_kthread_exit@pe(...);
)
  ... when any
  }
|
  while (1) {
  ... when != \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\)
      when != BUG(...)
      when != panic(...)
(
  return@pe ...;
|
  kthread_exit@pe(...);
|
  kthread_complete_and_exit@pe(...);
|
  do_exit@pe(...);
|
  module_put_and_kthread_exit@pe(...);
)
  ... when any
  }
|
  while (true) {
  ... when != \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\)
      when != BUG(...)
      when != panic(...)
(
  return@pe ...;
|
  kthread_exit@pe(...);
|
  kthread_complete_and_exit@pe(...);
|
  do_exit@pe(...);
|
  module_put_and_kthread_exit@pe(...);
)
  ... when any
  }
)
  ... when any
}

@script:python depends on report@
pe << ktl_b.pe;
@@
ktl_emit(pe, "can exit here while kthread_should_stop() is false (its stop loop has not tested it again)", 'report')

@script:python depends on org@
pe << ktl_b.pe;
@@
ktl_emit(pe, "can exit here while kthread_should_stop() is false (its stop loop has not tested it again)", 'org')

// B': an exit after an "if (kthread_should_stop()) ..." in a loop body:
// past that test the thread had not been asked to stop.
@ktl_b2 exists@
identifier tf : script:python () { ktl_isthread(tf) };
identifier hh : script:python () { ktl_ishelper(hh) };
position pe != {ktl_safe_exit.pe, ktl_sig_exit.pe};
expression E1, E2, E3, C;
statement S;
@@
tf(...) {
  ... when any
(
  for (E1; E2; E3) {
  ... when any
(
  if (\(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\)) S
|
  if (\(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\) || C) S
)
  ... when != \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\)
      when != BUG(...)
      when != panic(...)
(
  return@pe ...;
|
  kthread_exit@pe(...);
|
  kthread_complete_and_exit@pe(...);
|
  do_exit@pe(...);
|
  module_put_and_kthread_exit@pe(...);
)
  ... when any
  }
|
  for (;;) {
  ... when any
(
  if (\(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\)) S
|
  if (\(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\) || C) S
)
  ... when != \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\)
      when != BUG(...)
      when != panic(...)
(
  return@pe ...;
|
  kthread_exit@pe(...);
|
  kthread_complete_and_exit@pe(...);
|
  do_exit@pe(...);
|
  module_put_and_kthread_exit@pe(...);
)
  ... when any
  }
|
  while (E1) {
  ... when any
(
  if (\(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\)) S
|
  if (\(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\) || C) S
)
  ... when != \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\)
      when != BUG(...)
      when != panic(...)
(
  return@pe ...;
|
  kthread_exit@pe(...);
|
  kthread_complete_and_exit@pe(...);
|
  do_exit@pe(...);
|
  module_put_and_kthread_exit@pe(...);
)
  ... when any
  }
)
  ... when any
}

@script:python depends on report@
pe << ktl_b2.pe;
@@
ktl_emit(pe, "can exit here after kthread_should_stop() tested false", 'report')

@script:python depends on org@
pe << ktl_b2.pe;
@@
ktl_emit(pe, "can exit here after kthread_should_stop() tested false", 'org')

// C: a loop left by a break that no stop test precedes in its body (or
// only one that was false), or by the other half of a
// "!kthread_should_stop() && cond" condition, then an exit with no stop
// test on the way.
@ktl_c exists@
identifier tf : script:python () { ktl_isthread(tf) };
identifier hh : script:python () { ktl_ishelper(hh) };
position pb != ktl_sig_exit.pb;
position pe != {ktl_safe_exit.pe, ktl_sig_exit.pe};
expression E1, E2, E3, C;
statement S;
symbol true;
@@
tf(...) {
  ... when any
(
  for (E1; E2; E3) {
  ... when != \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\)
      when != BUG(...)
      when != panic(...)
  break@pb;
  ... when any
  }
|
  for (;;) {
  ... when != \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\)
      when != BUG(...)
      when != panic(...)
  break@pb;
  ... when any
  }
|
  while (E1) {
  ... when != \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\)
      when != BUG(...)
      when != panic(...)
  break@pb;
  ... when any
  }
|
  for (E1; E2; E3) {
  ... when any
(
  if (\(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\)) S
|
  if (\(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\) || C) S
)
  ... when != \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\)
      when != BUG(...)
      when != panic(...)
  break@pb;
  ... when any
  }
|
  for (;;) {
  ... when any
(
  if (\(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\)) S
|
  if (\(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\) || C) S
)
  ... when != \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\)
      when != BUG(...)
      when != panic(...)
  break@pb;
  ... when any
  }
|
  while (E1) {
  ... when any
(
  if (\(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\)) S
|
  if (\(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\) || C) S
)
  ... when != \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\)
      when != BUG(...)
      when != panic(...)
  break@pb;
  ... when any
  }
|
  while (<+... \(!\(kthread_should_stop@pb(...)\|kthread_freezable_should_stop@pb(...)\|hh@pb(...)\) && C\|C && !\(kthread_should_stop@pb(...)\|kthread_freezable_should_stop@pb(...)\|hh@pb(...)\)\) ...+>) S
)
  ... when != \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\)
      when != BUG(...)
      when != panic(...)
      when != for (;;) S
      when != while (1) S
      when != while (true) S
(
  return@pe ...;
|
  kthread_exit@pe(...);
|
  kthread_complete_and_exit@pe(...);
|
  do_exit@pe(...);
|
  module_put_and_kthread_exit@pe(...);
)
  ... when any
}

@script:python depends on report@
pb << ktl_c.pb;
pe << ktl_c.pe;
@@
ktl_emit(pe, "can exit here after its loop was left on line %s while kthread_should_stop() was false" % pb[0].line, 'report')

@script:python depends on org@
pb << ktl_c.pb;
pe << ktl_c.pe;
@@
ktl_emit(pe, "can exit here after its loop was left on line %s while kthread_should_stop() was false" % pb[0].line, 'org')

// D: the same, left by a goto: the goto, then from its label an exit with
// no stop test on the way.
@ktl_dgoto exists@
identifier tf : script:python () { ktl_isthread(tf) };
identifier hh : script:python () { ktl_ishelper(hh) };
identifier l;
position pg;
expression E1, E2, E3, C;
statement S;
symbol true;
@@
tf(...) {
  ... when any
(
  while (<+... \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\) ...+>) {
  ... when != \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\)
      when != BUG(...)
      when != panic(...)
  goto@pg l;
  ... when any
  }
|
  for (E1; <+... \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\) ...+>; E2) {
  ... when != \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\)
      when != BUG(...)
      when != panic(...)
  goto@pg l;
  ... when any
  }
|
  for (;;) {
  ... when != \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\)
      when != BUG(...)
      when != panic(...)
  goto@pg l;
  ... when any
  }
|
  while (1) {
  ... when != \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\)
      when != BUG(...)
      when != panic(...)
  goto@pg l;
  ... when any
  }
|
  while (true) {
  ... when != \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\)
      when != BUG(...)
      when != panic(...)
  goto@pg l;
  ... when any
  }
|
  for (E1; E2; E3) {
  ... when any
(
  if (\(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\)) S
|
  if (\(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\) || C) S
)
  ... when != \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\)
      when != BUG(...)
      when != panic(...)
  goto@pg l;
  ... when any
  }
|
  for (;;) {
  ... when any
(
  if (\(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\)) S
|
  if (\(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\) || C) S
)
  ... when != \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\)
      when != BUG(...)
      when != panic(...)
  goto@pg l;
  ... when any
  }
|
  while (E1) {
  ... when any
(
  if (\(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\)) S
|
  if (\(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\) || C) S
)
  ... when != \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\)
      when != BUG(...)
      when != panic(...)
  goto@pg l;
  ... when any
  }
)
  ... when any
}

@ktl_dlabel exists@
identifier ktl_dgoto.tf;
identifier ktl_dgoto.l;
identifier hh : script:python () { ktl_ishelper(hh) };
position pe != {ktl_safe_exit.pe, ktl_sig_exit.pe};
statement S;
symbol true;
@@
tf(...) {
  ... when any
  l:
  ... when != \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|kthread_parkme(...)\|hh(...)\)
      when != BUG(...)
      when != panic(...)
      when != for (;;) S
      when != while (1) S
      when != while (true) S
(
  return@pe ...;
|
  kthread_exit@pe(...);
|
  kthread_complete_and_exit@pe(...);
|
  do_exit@pe(...);
|
  module_put_and_kthread_exit@pe(...);
)
  ... when any
}

@script:python depends on report@
pg << ktl_dgoto.pg;
pe << ktl_dlabel.pe;
@@
ktl_emit(pe, "can exit here after a goto on line %s left its loop while kthread_should_stop() was false" % pg[0].line, 'report')

@script:python depends on org@
pg << ktl_dgoto.pg;
pe << ktl_dlabel.pe;
@@
ktl_emit(pe, "can exit here after a goto on line %s left its loop while kthread_should_stop() was false" % pg[0].line, 'org')
