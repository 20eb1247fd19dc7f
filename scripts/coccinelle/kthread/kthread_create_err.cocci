// SPDX-License-Identifier: GPL-2.0
/// Find kthread creation results that are not tested with IS_ERR().
///
/// kthread_run(), kthread_create*(), kthread_run_on_cpu() and
/// kthread_create_worker*() return ERR_PTR(-errno) on failure (-ENOMEM,
/// -EINTR when the caller was killed while kthreadd forked), never NULL.
/// A NULL test lets an error pointer through as a task or a worker, and so
/// does a comparison with one error value; the next wake_up_process(),
/// kthread_stop() or ->task dereferences it. The failure is rare (memory,
/// a fatal signal), which is why the wrong test survives.
///
/// Reported, for a result stored in T (a variable or a field), on a path
/// from the creation on which T was not yet tested with IS_ERR(),
/// IS_ERR_OR_NULL(), PTR_ERR_OR_ZERO() or PTR_ERR():
///  - a NULL test of T: !T, T == NULL, T != NULL, if (T), T ? :, or an
///    unstored result tested the same way;
///  - T compared with one ERR_PTR() value, or PTR_ERR(T) with one error;
///  - T used: passed to a function, dereferenced (no error test of any
///    kind on the path, nor a NULL test, which is reported instead);
///  - T stored in a field, a global or an array and then not mentioned
///    again before the function returns (nobody tests it there), if the
///    file reads T elsewhere and never tests it with an IS_ERR() family
///    call anywhere (a stored error nobody reads harms nothing; a test in
///    a later loop over an array or in the reader is taken on trust).
///
/// The fix: if (IS_ERR(T)) return PTR_ERR(T); (or IS_ERR_OR_NULL() where
/// NULL also means "no thread", as in a stop function).
///
/// False positives: code that makes T NULL or valid by other means on the
/// path; a stored result that another file tests. Missed: a result
/// returned to the caller, or tested by IS_ERR() on one path and used on
/// another in the stored case.
//
// Confidence: High
// Options: --no-includes --include-headers
// Comments: part of ktlife's kthread rules, scripts/kthread-lint.sh

virtual report
virtual org

@initialize:python@
@@
import re

done = set()


def kce_name(t):
    m = re.search(r'(\w+)\s*(?:\[[^]]*\]\s*)*$', t)
    return m.group(1) if m else None


def kce_lines(p):
    try:
        with open(p[0].file, errors='replace') as f:
            return f.readlines()
    except OSError:
        return []


def kce_tested_anywhere(p, t):
    """Whether the file tests the variable or field t names with an error
    test anywhere: in a later loop over an array, in the function that
    uses it. The path rule cannot see those."""
    name = kce_name(t)
    if name is None:
        return False
    test = re.compile(r'\b(?:IS_ERR|IS_ERR_OR_NULL|PTR_ERR|PTR_ERR_OR_ZERO)'
                      r'\s*\([^;]*\b%s\b' % re.escape(name))
    return any(test.search(line) for line in kce_lines(p))


def kce_used_elsewhere(p, t):
    """Whether the variable or field t names is used in the file on
    another line than p and its declarations: an ERR_PTR() kept where
    nothing reads it harms nothing."""
    name = kce_name(t)
    if name is None:
        return True
    word = re.compile(r'\b%s\b' % re.escape(name))
    decl = re.compile(r'^\s*(?:static\s+)?(?:struct\s+)?\w+\s*\*+\s*%s\s*'
                      r'(?:\[[^]]*\]\s*)*[;,=]' % re.escape(name))
    for n, line in enumerate(kce_lines(p), 1):
        if n == int(p[0].line) or not word.search(line) or decl.search(line):
            continue
        return True
    return False


def kce_emit(p, msg, mode):
    key = (p[0].file, p[0].line, p[0].column)
    if key in done:
        return
    done.add(key)
    msg = msg.replace(': ', ': %s(): ' % p[0].current_element, 1)
    if mode == 'org':
        cocci.print_main(msg.split(': ', 2)[2], p)
    else:
        coccilib.report.print_report(p[0], msg)

// A NULL test and an error test in one condition: redundant, not wrong.
@kce_both@
expression T;
position p;
@@
(
  !T@p || \(IS_ERR\|IS_ERR_OR_NULL\)(T)
|
  T@p == NULL || \(IS_ERR\|IS_ERR_OR_NULL\)(T)
|
  \(IS_ERR\|IS_ERR_OR_NULL\)(T) || !T@p
|
  \(IS_ERR\|IS_ERR_OR_NULL\)(T) || T@p == NULL
|
  T@p && !\(IS_ERR\|IS_ERR_OR_NULL\)(T)
|
  !\(IS_ERR\|IS_ERR_OR_NULL\)(T) && T@p
)

@kce_null exists@
expression T, E, E1, E2;
identifier kf = {kthread_run, kthread_create, kthread_create_on_node,
                 kthread_create_on_cpu, kthread_run_on_cpu,
                 kthread_create_worker, kthread_create_worker_on_cpu,
                 kthread_create_worker_on_node, kthread_run_worker,
                 kthread_run_worker_on_cpu};
position p1, p2 != kce_both.p;
@@
T = kf@p1(...)
... when != \(IS_ERR\|IS_ERR_OR_NULL\|PTR_ERR_OR_ZERO\|PTR_ERR\)(T)
    when != T = E
(
  !T@p2
|
  T@p2 == NULL
|
  NULL == T@p2
|
  T@p2 != NULL
|
  NULL != T@p2
|
  T@p2 ? E1 : E2
)

@script:python depends on report@
p2 << kce_null.p2;
kf << kce_null.kf;
@@
kce_emit(p2, "ERROR: %s() returns ERR_PTR() on failure, never NULL: this NULL test lets an error through as a valid pointer; test IS_ERR()" % kf, 'report')

@script:python depends on org@
p2 << kce_null.p2;
kf << kce_null.kf;
@@
kce_emit(p2, "ERROR: %s() result tested against NULL" % kf, 'org')

@kce_if exists@
expression T, E;
identifier kf = {kthread_run, kthread_create, kthread_create_on_node,
                 kthread_create_on_cpu, kthread_run_on_cpu,
                 kthread_create_worker, kthread_create_worker_on_cpu,
                 kthread_create_worker_on_node, kthread_run_worker,
                 kthread_run_worker_on_cpu};
position p1, p2 != kce_both.p;
statement S1, S2;
@@
T = kf@p1(...)
... when != \(IS_ERR\|IS_ERR_OR_NULL\|PTR_ERR_OR_ZERO\|PTR_ERR\)(T)
    when != T = E
(
  if (T@p2) S1 else S2
|
  if (T@p2) S1
)

@script:python depends on report@
p2 << kce_if.p2;
kf << kce_if.kf;
@@
kce_emit(p2, "ERROR: %s() returns ERR_PTR() on failure, never NULL: this NULL test lets an error through as a valid pointer; test IS_ERR()" % kf, 'report')

@script:python depends on org@
p2 << kce_if.p2;
kf << kce_if.kf;
@@
kce_emit(p2, "ERROR: %s() result tested against NULL" % kf, 'org')

// Not stored: tested at once.
@kce_direct@
identifier kf = {kthread_run, kthread_create, kthread_create_on_node,
                 kthread_create_on_cpu, kthread_run_on_cpu,
                 kthread_create_worker, kthread_create_worker_on_cpu,
                 kthread_create_worker_on_node, kthread_run_worker,
                 kthread_run_worker_on_cpu};
position p;
@@
(
  !kf@p(...)
|
  kf@p(...) == NULL
|
  kf@p(...) != NULL
)

@script:python depends on report@
p << kce_direct.p;
kf << kce_direct.kf;
@@
kce_emit(p, "ERROR: %s() returns ERR_PTR() on failure, never NULL: this NULL test lets an error through as a valid pointer; test IS_ERR()" % kf, 'report')

@script:python depends on org@
p << kce_direct.p;
kf << kce_direct.kf;
@@
kce_emit(p, "ERROR: %s() result tested against NULL" % kf, 'org')

@kce_one exists@
expression T, E, C;
identifier kf = {kthread_run, kthread_create, kthread_create_on_node,
                 kthread_create_on_cpu, kthread_run_on_cpu,
                 kthread_create_worker, kthread_create_worker_on_cpu,
                 kthread_create_worker_on_node, kthread_run_worker,
                 kthread_run_worker_on_cpu};
position p1, p2;
@@
T = kf@p1(...)
... when != \(IS_ERR\|IS_ERR_OR_NULL\|PTR_ERR_OR_ZERO\)(T)
    when != T = E
(
  T@p2 == ERR_PTR(...)
|
  T@p2 != ERR_PTR(...)
|
  PTR_ERR(T@p2) == C
|
  PTR_ERR(T@p2) != C
)

@script:python depends on report@
p2 << kce_one.p2;
kf << kce_one.kf;
@@
kce_emit(p2, "ERROR: %s()'s result is compared with one error value: any other ERR_PTR() passes as a valid pointer; test IS_ERR()" % kf, 'report')

@script:python depends on org@
p2 << kce_one.p2;
kf << kce_one.kf;
@@
kce_emit(p2, "ERROR: %s() result compared with one error" % kf, 'org')

@kce_use exists@
expression T, E;
identifier kf = {kthread_run, kthread_create, kthread_create_on_node,
                 kthread_create_on_cpu, kthread_run_on_cpu,
                 kthread_create_worker, kthread_create_worker_on_cpu,
                 kthread_create_worker_on_node, kthread_run_worker,
                 kthread_run_worker_on_cpu};
identifier f != {IS_ERR, IS_ERR_OR_NULL, PTR_ERR_OR_ZERO, PTR_ERR, ERR_CAST,
                 IS_ERR_VALUE};
position p1, p2;
statement S1, S2;
@@
T = kf@p1(...)
... when != \(IS_ERR\|IS_ERR_OR_NULL\|PTR_ERR_OR_ZERO\|PTR_ERR\|ERR_CAST\|IS_ERR_VALUE\)(...)
    when != T = E
    when != !T
    when != T == NULL
    when != T != NULL
    when != if (T) S1 else S2
    when != if (T) S1
(
  T@p2->f
|
  f(..., T@p2, ...)
)

@script:python depends on report@
p1 << kce_use.p1;
p2 << kce_use.p2;
kf << kce_use.kf;
@@
kce_emit(p2, "ERROR: %s()'s result (line %s) is used here with no IS_ERR() test: on failure it is an ERR_PTR()" % (kf, p1[0].line), 'report')

@script:python depends on org@
p2 << kce_use.p2;
kf << kce_use.kf;
@@
kce_emit(p2, "ERROR: %s() result used untested" % kf, 'org')

// Stored where another function will find it, and not tested here.
@kce_local@
local idexpression L;
identifier kf = {kthread_run, kthread_create, kthread_create_on_node,
                 kthread_create_on_cpu, kthread_run_on_cpu,
                 kthread_create_worker, kthread_create_worker_on_cpu,
                 kthread_create_worker_on_node, kthread_run_worker,
                 kthread_run_worker_on_cpu};
position p;
@@
L = kf@p(...)

@kce_stored exists@
expression T;
identifier fn;
identifier kf = {kthread_run, kthread_create, kthread_create_on_node,
                 kthread_create_on_cpu, kthread_run_on_cpu,
                 kthread_create_worker, kthread_create_worker_on_cpu,
                 kthread_create_worker_on_node, kthread_run_worker,
                 kthread_run_worker_on_cpu};
position p1 != kce_local.p;
@@
fn(...) {
  ... when any
  T = kf@p1(...);
  ... when != T
}

@script:python depends on report@
p1 << kce_stored.p1;
kf << kce_stored.kf;
T << kce_stored.T;
@@
if kce_used_elsewhere(p1, T) and not kce_tested_anywhere(p1, T):
    kce_emit(p1, "ERROR: %s()'s result is stored here and never tested with IS_ERR(): on failure an ERR_PTR() is kept as a valid pointer" % kf, 'report')

@script:python depends on org@
p1 << kce_stored.p1;
kf << kce_stored.kf;
T << kce_stored.T;
@@
if kce_used_elsewhere(p1, T) and not kce_tested_anywhere(p1, T):
    kce_emit(p1, "ERROR: %s() result stored untested" % kf, 'org')
