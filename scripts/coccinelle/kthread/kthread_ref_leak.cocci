// SPDX-License-Identifier: GPL-2.0
/// Find task references taken on a created kthread and never put.
///
/// get_task_struct() on a kthread keeps its task_struct after the thread
/// exits, which is what makes kthread_stop() safe on a thread that may
/// return on its own. The reference must be dropped once the thread is
/// reaped: with kthread_stop_put() (6.6 and later), or put_task_struct()
/// after kthread_stop(). Reaping with a bare kthread_stop(), as before the
/// reference was added, leaks the task_struct of every thread ever
/// started: several KiB each, until reboot.
///
/// Reported: get_task_struct(T), or X = get_task_struct(T), where T is
/// (the same variable or struct field, followed through plain
/// assignments, rcu_assign_pointer(), rcu_dereference*() and per-CPU slots
/// within the file) the result of kthread_run(), kthread_create*() or
/// kthread_run_on_cpu() in the same file, and neither put_task_struct()
/// nor kthread_stop_put() is ever called on it in the file. ERROR if it is
/// passed to kthread_stop() (other than before the reference was taken,
/// on the creator's error path); WARNING if the file does not stop it
/// either and never stores it in a struct, from where another file could
/// reap it (such a task is not reported).
///
/// The fix: reap with kthread_stop_put(t) instead of kthread_stop(t), or
/// add put_task_struct(t) after it.
///
/// False positives: a reference put in another file through a global or a
/// function parameter, or under another name. Missed: a task kept in a
/// struct and put nowhere; two threads of one file stored under one
/// variable or field name, one put and one not. The rule counts calls, not
/// paths: a put on one path does not show a path without one.
//
// Confidence: High (ERROR), Moderate (WARNING)
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


def ktl_judge_get(key, p):
    """For get_task_struct() on task key at p: (its creation, a
    kthread_stop() site or None) if it is a created thread whose
    reference is never put in the file, else None."""
    if key is None:
        return None
    cls = ktl_find(key)
    creats = [pc for (fns, k, pc, kf) in ktl['creats']
              if k is not None and ktl_find(k) == cls]
    if not creats:
        return None
    mine = ktl_class(key)
    if any(k in ('put', 'stop_put') for (k, q) in mine):
        return None
    # A stop before the reference is taken (the error path of the creator)
    # does not reap the referenced task.
    here = p[0]
    stops = [q for (k, q) in mine if k == 'stop' and
             not (q.current_element == here.current_element and
                  int(q.line) < int(here.line))]
    if stops:
        return (creats[0], stops[0])
    # Kept in a struct: the put is most likely where the struct dies, in
    # another file.
    if any(k.startswith('->') for k in ktl_keys_of(key)):
        return None
    return (creats[0], None)


def ktl_emit(p, e, mode):
    r = ktl_judge_get(ktl_key(e, p[0].current_element), p)
    if r is None:
        return
    pc, ps = r
    fn = p[0].current_element
    if ps is not None:
        msg = ("ERROR: %s(): this reference to the task created on line %s "
               "is never put: it is reaped with kthread_stop() on line %s, "
               "and its task_struct leaks; reap it with kthread_stop_put(), "
               "or put_task_struct() after kthread_stop()"
               % (fn, pc.line, ps.line))
    else:
        msg = ("WARNING: %s(): this reference to the task created on line "
               "%s is put nowhere in this file (no put_task_struct(), no "
               "kthread_stop_put()), nor kept anywhere another file could "
               "put it: the task_struct leaks" % (fn, pc.line))
    if mode == 'org':
        cocci.print_main("task reference never put", p)
        if ps is not None:
            cocci.print_secs("kthread_stop(), no put", [ps])
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

// The reports: each get_task_struct() of a created thread.
@ktl_get@
expression E;
position p;
@@
get_task_struct@p(E)

@script:python depends on report@
E << ktl_get.E;
p << ktl_get.p;
@@
ktl_emit(p, E, 'report')

@script:python depends on org@
E << ktl_get.E;
p << ktl_get.p;
@@
ktl_emit(p, E, 'org')
