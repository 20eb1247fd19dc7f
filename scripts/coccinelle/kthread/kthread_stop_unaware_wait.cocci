// SPDX-License-Identifier: GPL-2.0
/// Find kthread loops that sleep uninterruptibly on something
/// kthread_stop() cannot end.
///
/// kthread_stop() sets the stop flag and wakes the thread once. A thread
/// asleep in wait_event(wq, cond) wakes, finds cond false, and sleeps
/// again: the stop waits until cond happens to come true, which for an
/// idle device may be never (rmmod in D state, hung-task reports). The
/// same for wait_for_completion(), whose completion knows nothing of the
/// stop. ktlife's writers avoid it with kthread_should_stop() in their
/// wait condition; its leaky writer, on purpose, does not.
///
/// Reported: in a function passed to kthread_run(), kthread_create*() or
/// kthread_run_on_cpu() in the same file, whose task (the same variable or
/// struct field, through plain assignments) is passed to kthread_stop() or
/// kthread_stop_put() in the file, a wait inside a loop body that neither
/// a signal nor a timeout ends: wait_event(), wait_event_idle*(),
/// wait_event_killable*(), wait_event_lock_irq(), wait_event_cmd(),
/// swait_event_idle_exclusive(), wait_var_event() with a condition that
/// does not call kthread_should_stop() (nor a function of the file that
/// does), and wait_for_completion(), _io() and _killable(). The loop is a
/// for or while loop with the wait in its body (do-while loops are not
/// looked into: this spatch cannot match inside them).
///
/// Not reported: interruptible waits (wait_event_interruptible*(),
/// _freezable*(): since 6.1 kthread_stop()'s TIF_NOTIFY_SIGNAL ends them;
/// before 6.1 they have the same bug), timed waits (the stop is late, not
/// lost), waits outside a loop.
///
/// The fix: wait_event_idle(wq, have_work() || kthread_should_stop()),
/// then test kthread_should_stop() after the wait; for a completion,
/// wait on a wait queue and condition instead, or have the stopper
/// complete it before it calls kthread_stop().
///
/// Not reported either: a wait_for_completion() on a completion that
/// another thread function of the file completes (a sibling thread, not
/// the stop, ends that wait).
///
/// False positives: a stopper that makes the condition true (sets a flag,
/// completes the completion) before calling kthread_stop(); a condition
/// that calls a function of another file which tests
/// kthread_should_stop(); a condition that becomes true by itself (items
/// that keep coming).
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


def ktl_judge(fn, w, arg):
    """For a wait in thread function fn: (creation, stop site) if a task
    running fn is stopped with kthread_stop() or kthread_stop_put(), and
    (for a completion) no other thread function of the file completes
    it; else None."""
    if w.startswith('wait_for_completion'):
        key = ktl_key(arg, fn)
        if key is not None and any(
                kk == key and q.current_element != fn and
                ktl_isthread(q.current_element)
                for (k, kk, q) in ktl['sites'] if k == 'complete'):
            return None
    for (fns, key, pc, kf) in ktl['creats']:
        if fn not in fns or key is None:
            continue
        stops = [q for (k, q) in ktl_class(key) if k in ('stop', 'stop_put')]
        if stops:
            return (pc, stops[0])
    return None


def ktl_emit(p, w, arg, mode):
    fn = p[0].current_element
    r = ktl_judge(fn, w, arg)
    if r is None:
        return
    pc, ps = r
    if w.startswith('wait_for_completion'):
        what = ("for a completion, which kthread_stop() does not "
                "complete")
        fix = ("wait for a condition that includes kthread_should_stop() "
               "instead, or complete it before kthread_stop()")
    else:
        what = "for a condition without kthread_should_stop()"
        fix = "add kthread_should_stop() to the condition"
    msg = ("ERROR: %s(): sleeps here in %s() %s, and the task created on "
           "line %s is stopped on line %s: a stop that comes while it "
           "sleeps waits until it is woken for other reasons, maybe "
           "forever; %s" % (fn, w, what, pc.line, ps.line, fix))
    if mode == 'org':
        cocci.print_main("%s() sleeps deaf to kthread_stop()" % fn, p)
        cocci.print_secs("stopped here", [ps])
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

// Waits whose condition can see the stop.
@ktl_aware@
identifier hh : script:python () { ktl_ishelper(hh) };
identifier w = {wait_event, wait_event_idle, wait_event_idle_exclusive,
                wait_event_killable, wait_event_killable_exclusive,
                wait_event_lock_irq, wait_event_cmd,
                wait_event_exclusive_cmd, swait_event_idle_exclusive,
                wait_var_event, wait_var_event_killable};
expression WQ;
position p;
@@
w@p(WQ, <+... \(kthread_should_stop(...)\|kthread_freezable_should_stop(...)\|hh(...)\) ...+>, ...)

// Uninterruptible waits, in a loop of a thread function.
@ktl_wait@
identifier tf : script:python () { ktl_isthread(tf) };
identifier w = {wait_event, wait_event_idle, wait_event_idle_exclusive,
                wait_event_killable, wait_event_killable_exclusive,
                wait_event_lock_irq, wait_event_cmd,
                wait_event_exclusive_cmd, swait_event_idle_exclusive,
                wait_var_event, wait_var_event_killable,
                wait_for_completion, wait_for_completion_io,
                wait_for_completion_killable};
expression E1, E2, E3, A;
position p != ktl_aware.p;
@@
tf(...) {
  <+...
(
  for (E1; E2; E3) { <+... w@p(A, ...) ...+> }
|
  for (;;) { <+... w@p(A, ...) ...+> }
|
  while (E1) { <+... w@p(A, ...) ...+> }
|
  for (E1; E2; E3) w@p(A, ...);
|
  for (;;) w@p(A, ...);
|
  while (E1) w@p(A, ...);
)
  ...+>
}

@script:python depends on report@
p << ktl_wait.p;
w << ktl_wait.w;
A << ktl_wait.A;
@@
ktl_emit(p, w, A, 'report')

@script:python depends on org@
p << ktl_wait.p;
w << ktl_wait.w;
A << ktl_wait.A;
@@
ktl_emit(p, w, A, 'org')
