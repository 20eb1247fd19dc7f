# SPDX-License-Identifier: GPL-2.0
"""Which tasks a C file creates, and what it does to each, for ktlife's
kthread rules (scripts/coccinelle/kthread/*.cocci).

The rules' SmPL finds the sites (a creation, a copy of a task pointer, a
kthread_stop(), a get_task_struct(), ...) and hands each to this module,
which names the task every task-valued expression stands for and groups
the names that are copies of each other. One file at a time: reset() on
the first site of a new file.

A task's name ("key"): "->field" for a struct field (of any struct: the
same field name is the same task), "fn:name" for a local or a parameter,
"name" for a global, with "[]" for an array or per-CPU element.
READ_ONCE(), rcu_dereference*() and xchg() are seen through.
"""

import re

ktl = {}


def reset(f):
    """Start afresh if f is not the file being read."""
    if ktl.get('file') != f:
        ktl.clear()
        ktl.update(file=f, threadfns=set(), locals=set(), parent={},
                   creats=[], sites=[], done=set())


def key(e, fn):
    """The task expression e names in function fn, or None."""
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
        k = key(m.group(1), fn)
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


def local(fn, name):
    ktl['locals'].add((fn, name))


def find(k):
    par = ktl['parent']
    while par.get(k, k) != k:
        k = par[k]
    return k


def union(a, b):
    if a is None or b is None:
        return
    a, b = find(a), find(b)
    if a != b:
        ktl['parent'][a] = b


def copy(l, e, fn):
    """l = e (or the other way round): the same task, unless e is a call
    of the kthread API itself."""
    if not re.search(r'\bkthread_\w+\s*\(', e):
        union(key(l, fn), key(e, fn))


def fns(f):
    """The function names an expression passed as threadfn may be."""
    return set(re.findall(r'[A-Za-z_]\w*', f)) if '?' in f else \
        set([re.sub(r'^[&(\s]*|[)\s]*$', '', f)])


def creation(t, f, kf, p):
    """t = kf(f, ...) at position p."""
    names = fns(f)
    ktl['threadfns'] |= names
    ktl['creats'].append((names, key(t, p.current_element), p, kf))


SITE_KINDS = {'kthread_stop': 'stop', 'kthread_stop_put': 'stop_put',
              'get_task_struct': 'get', 'put_task_struct': 'put',
              'wake_up_process': 'wake', 'kthread_unpark': 'wake',
              'complete': 'complete', 'complete_all': 'complete'}


def site(f, e, p):
    """A call f(e) at position p of one of SITE_KINDS."""
    ktl['sites'].append((SITE_KINDS[f], key(e, p.current_element), p, f))


def of(k):
    """The sites (kind, position) of the task k names."""
    if k is None:
        return []
    cls = find(k)
    return [(kind, q) for (kind, kk, q, f) in ktl['sites']
            if kk is not None and find(kk) == cls]


def calls_of(k):
    """The same, with the function called: (kind, position, name)."""
    if k is None:
        return []
    cls = find(k)
    return [(kind, q, f) for (kind, kk, q, f) in ktl['sites']
            if kk is not None and find(kk) == cls]


def keys_of(k):
    cls = find(k)
    keys = set(ktl['parent']) | set(ktl['parent'].values()) | set([k])
    return [x for x in keys if find(x) == cls]


def threadfns():
    return ktl['threadfns']


def created(fn):
    """(creation position, creation function, task key) of each task
    created to run fn."""
    return [(pc, kf, k) for (names, k, pc, kf) in ktl['creats']
            if fn in names and k is not None]


def reference(pc, kf, k, path):
    """How the task created at pc (by kf) is held: ("none", None) with no
    reference at all; ("late", get position) if every get_task_struct()
    on it may come after the thread ran (after kthread_run(), or on a path
    from a wake in the same function: path(fn, (name, line), (name, line))
    says whether one leads to the other); ("early", get position) if one
    comes before."""
    mine = of(k)
    gets = [(kind, q) for (kind, q) in mine if kind == 'get']
    if not gets:
        return ('none', None)
    wakes = [(f, q) for (kind, q, f) in calls_of(k) if kind == 'wake']
    running = kf.startswith('kthread_run')
    for (gk, g) in gets:
        fn = g.current_element
        at = ('get_task_struct', int(g.line))
        if running and (pc.current_element != fn or
                        path(fn, (kf, int(pc.line)), at)):
            continue
        if any(w.current_element == fn and
               path(fn, (wk, int(w.line)), at)
               for (wk, w) in wakes):
            continue
        return ('early', g)
    return ('late', gets[0][1])


def woken(kf, k):
    """Whether the thread can run at all: kthread_run*() starts it; a
    kthread_create*()d one must be woken or unparked."""
    return kf.startswith('kthread_run') or \
        any(kind == 'wake' for (kind, q) in of(k))


def stops(k, kinds=('stop',)):
    return [q for (kind, q) in of(k) if kind in kinds]


def once(file, line, col):
    """True the first time a report is made at that place."""
    where = (file, line, col)
    if where in ktl['done']:
        return False
    ktl['done'].add(where)
    return True
