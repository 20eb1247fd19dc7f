# SPDX-License-Identifier: GPL-2.0
"""The paths of a kthread function, for ktlife's kthread rules.

One question decides whether a kthread may be stopped with a bare
kthread_stop(): can its function return (or call kthread_exit()) while
kthread_should_stop() is still false? That is a question about the value
the stop test had on each path to each exit, so this module answers it on
the function's control flow, not on the shape of its code.

It reads a C file as text (no preprocessor, no kernel tree), cuts out each
function, parses its statements (blocks, if/else, while, for, do-while,
switch, goto and labels, for-each macros as loops; expressions are kept as
tokens, conditions parsed into &&, ||, !, comparisons and calls) and runs
one forward analysis: the state is the set of values "the stop is known to
be requested" may have, False at entry. A branch refines it when its
condition implies the stop on that side:

  kthread_should_stop(), kthread_freezable_should_stop()     when true
  a function of the file that returns only such a test          when true
  a variable every assignment of which is such a test           when true
  wait_event*_timeout(wq, COND, t) (any flavour)   when non-zero, if COND does
  an interruptible untimed wait, when non-zero: a signal, which a kthread
      gets only from kthread_stop() (unless its file calls allow_signal())
  !, &&, ||, == 0, != 0, > 0, < 0 combine these as C does

and a loop's exit edge is its condition's false side. An exit reached with
"not known" in the state is one the thread can take on its own, before any
kthread_stop(): that is what kthread_stop_no_ref reports when the task is
stopped without a reference. A call to a function of the file all of whose
own exits are reached only once the stop is known (a wait-for-stop helper)
leaves the stop known.

Also reported per function: the sleeps that a stop does not end
(kthread_stop_unaware_sleep), with their duration as written.

Limits, by design: one file at a time; macros are not expanded (a macro
that hides a return or a loop is not seen); function pointers are not
followed; setjmp-like control flow does not exist in the kernel.

Run as a script for a look at one file: python3 kthread_paths.py FILE.
"""

import re
import sys

# ---------------------------------------------------------------------------
# Text and tokens

_TOKEN = re.compile(r"""
    (?P<ws>[ \t\r\f\v]+) |
    (?P<nl>\n) |
    (?P<id>[A-Za-z_]\w*) |
    (?P<num>(?:0[xX][0-9A-Fa-f]+|\d+(?:\.\d*)?)(?:[uUlL]*)) |
    (?P<op>->|\+\+|--|<<=|>>=|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^!=<>]=|
        \.\.\.|[{}()\[\];,.?:~!<>=+\-*/%&|^#]) |
    (?P<other>.)
""", re.X)


def strip_c(text):
    """The text with comments, string and character literals blanked (kept
    as "" and '' so that the tokens stay) and preprocessor lines emptied;
    newlines are kept, so that lines do not move."""
    out = []
    i, n = 0, len(text)
    bol = True
    while i < n:
        c = text[i]
        if bol and c in ' \t':
            out.append(c)
            i += 1
            continue
        if bol and c == '#':
            # A directive, with its continuation lines.
            while i < n and text[i] != '\n':
                if text[i] == '\\' and i + 1 < n and text[i + 1] == '\n':
                    out.append('\n')
                    i += 2
                    continue
                i += 1
            continue
        bol = False
        if text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append(' ' + '\n' * text.count('\n', i, j))
            i = j
        elif text.startswith('//', i):
            while i < n and text[i] != '\n':
                i += 1
        elif c in '"\'':
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == '\\' else 1
            out.append(c + c + '\n' * text.count('\n', i, j))
            i = j + 1
        else:
            if c == '\n':
                bol = True
            out.append(c)
            i += 1
    return ''.join(out)


class Tok:
    __slots__ = ('s', 'line', 'col')

    def __init__(self, s, line, col):
        self.s, self.line, self.col = s, line, col

    def __repr__(self):
        return '%s@%d' % (self.s, self.line)


def tokenize(text):
    toks, line, bol = [], 1, 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == 'nl':
            line += 1
            bol = m.end()
        elif kind != 'ws':
            toks.append(Tok(m.group(), line, m.start() - bol))
    return toks


# ---------------------------------------------------------------------------
# Functions of a file

_NOT_FUNCS = {'if', 'while', 'for', 'switch', 'return', 'sizeof', 'do',
              'else', 'case', 'typeof', '__typeof__', 'defined'}


def _match(toks, i, open_, close):
    """Index of the token closing the bracket at toks[i]."""
    depth = 0
    for j in range(i, len(toks)):
        if toks[j].s == open_:
            depth += 1
        elif toks[j].s == close:
            depth -= 1
            if depth == 0:
                return j
    return len(toks) - 1


def functions(toks):
    """{name: (params token slice, body token slice, name token)} for every
    function definition at file scope."""
    out = {}
    i, n = 0, len(toks)
    depth = 0
    while i < n:
        t = toks[i]
        if t.s == '{':
            depth += 1
        elif t.s == '}':
            depth -= 1
        elif (depth == 0 and re.match(r'[A-Za-z_]\w*$', t.s) and
              t.s not in _NOT_FUNCS and i + 1 < n and toks[i + 1].s == '('):
            close = _match(toks, i + 1, '(', ')')
            j = close + 1
            # Attributes between ) and {: __acquires(x), __releases(x) ...
            while j < n and re.match(r'[A-Za-z_]\w*$', toks[j].s):
                j += 1
                if j < n and toks[j].s == '(':
                    j = _match(toks, j, '(', ')') + 1
            if j < n and toks[j].s == '{':
                end = _match(toks, j, '{', '}')
                out[t.s] = (toks[i + 2:close], toks[j + 1:end], t)
                i = end + 1
                continue
        i += 1
    return out


# ---------------------------------------------------------------------------
# Statements

class Node:
    def __init__(self, kind, tok, **kw):
        self.kind, self.tok = kind, tok
        self.__dict__.update(kw)

    def __repr__(self):
        return '<%s@%d>' % (self.kind, self.tok.line if self.tok else 0)


_LOOP_MACRO = re.compile(r'.*for_each.*|.*_foreach.*|while_each_thread$')


class Parser:
    def __init__(self, toks):
        self.t, self.i = toks, 0

    def peek(self, k=0):
        j = self.i + k
        return self.t[j].s if j < len(self.t) else None

    def tok(self):
        return self.t[self.i] if self.i < len(self.t) else self.t[-1]

    def paren(self):
        """The tokens inside the parentheses at the cursor."""
        if self.peek() != '(':
            return []
        end = _match(self.t, self.i, '(', ')')
        inner = self.t[self.i + 1:end]
        self.i = end + 1
        return inner

    def block_items(self, end_index):
        items = []
        while self.i < end_index:
            items.append(self.statement())
        return items

    def statement(self):
        t = self.tok()
        s = t.s
        if s == '{':
            end = _match(self.t, self.i, '{', '}')
            self.i += 1
            items = self.block_items(end)
            self.i = end + 1
            return Node('block', t, items=items)
        if s == ';':
            self.i += 1
            return Node('expr', t, toks=[])
        if s == 'if':
            self.i += 1
            cond = self.paren()
            then = self.statement()
            other = None
            if self.peek() == 'else':
                self.i += 1
                other = self.statement()
            return Node('if', t, cond=cond, then=then, other=other)
        if s == 'while':
            self.i += 1
            cond = self.paren()
            return Node('while', t, cond=cond, body=self.statement())
        if s == 'for':
            self.i += 1
            inner = self.paren()
            parts, cur, depth = [], [], 0
            for x in inner:
                if x.s in '([{':
                    depth += 1
                elif x.s in ')]}':
                    depth -= 1
                if x.s == ';' and depth == 0:
                    parts.append(cur)
                    cur = []
                else:
                    cur.append(x)
            parts.append(cur)
            parts += [[]] * (3 - len(parts))
            return Node('for', t, init=parts[0], cond=parts[1],
                        inc=parts[2], body=self.statement())
        if s == 'do':
            self.i += 1
            body = self.statement()
            cond = []
            if self.peek() == 'while':
                self.i += 1
                cond = self.paren()
            if self.peek() == ';':
                self.i += 1
            return Node('do', t, cond=cond, body=body)
        if s == 'switch':
            self.i += 1
            cond = self.paren()
            return Node('switch', t, cond=cond, body=self.statement())
        if s in ('case', 'default'):
            while self.i < len(self.t) and self.peek() != ':':
                self.i += 1
            self.i += 1
            return Node('case', t)
        if s in ('break', 'continue'):
            self.i += 1
            if self.peek() == ';':
                self.i += 1
            return Node(s, t)
        if s == 'goto':
            label = self.peek(1)
            self.i += 2
            if self.peek() == ';':
                self.i += 1
            return Node('goto', t, label=label)
        if s == 'return':
            self.i += 1
            return Node('return', t, toks=self.expr_toks())
        if (re.match(r'[A-Za-z_]\w*$', s) and self.peek(1) == ':' and
                self.peek(2) != ':'):
            self.i += 2
            return Node('label', t, label=s)
        if (_LOOP_MACRO.match(s) and self.peek(1) == '('):
            self.i += 1
            cond = self.paren()
            if self.peek() != ';':
                return Node('while', t, cond=[], body=self.statement(),
                            macro=True, args=cond)
            self.i -= 1
            self.i -= len(cond) + 1
        return Node('expr', t, toks=self.expr_toks())

    def expr_toks(self):
        """Tokens up to the ';' that ends an expression statement (or a
        declaration), brackets balanced."""
        out, depth = [], 0
        while self.i < len(self.t):
            x = self.t[self.i]
            if x.s in '([{':
                depth += 1
            elif x.s in ')]}':
                if depth == 0:
                    break
                depth -= 1
            elif x.s == ';' and depth == 0:
                self.i += 1
                break
            out.append(x)
            self.i += 1
        return out


def parse_body(toks):
    p = Parser(toks)
    return Node('block', toks[0] if toks else None,
                items=p.block_items(len(toks)))


# ---------------------------------------------------------------------------
# Conditions

class Expr:
    def __init__(self, op, args=(), name=None, toks=()):
        self.op, self.args, self.name, self.toks = op, list(args), name, toks

    def __repr__(self):
        return '%s(%s%s)' % (self.op, self.name or '',
                             ', '.join(map(repr, self.args)))


def _split_args(toks):
    args, cur, depth = [], [], 0
    for x in toks:
        if x.s in '([{':
            depth += 1
        elif x.s in ')]}':
            depth -= 1
        if x.s == ',' and depth == 0:
            args.append(cur)
            cur = []
        else:
            cur.append(x)
    if cur or args:
        args.append(cur)
    return args


def parse_expr(toks):
    """?:, &&, ||, !, comparisons, parentheses and calls; the rest is an
    atom."""
    toks = list(toks)
    # The last top-level ',' operator decides the value.
    parts = _split_args(toks)
    if len(parts) > 1:
        toks = parts[-1]
    q = _top_split(toks, '?')
    if len(q) > 1:
        # The first top-level ':' after the '?' ends the true side.
        branches = _top_split(q[1], ':')
        if len(branches) >= 2:
            true_side = branches[0]
            false_side = toks[len(q[0]) + 1 + len(true_side) + 1:]
            return Expr('?:', [_parse_bin(q[0], ['||', '&&']),
                               parse_expr(true_side), parse_expr(false_side)])
    return _parse_bin(toks, ['||', '&&'])


def _top_split(toks, op):
    parts, cur, depth = [], [], 0
    for x in toks:
        if x.s in '([{':
            depth += 1
        elif x.s in ')]}':
            depth -= 1
        if x.s == op and depth == 0:
            parts.append(cur)
            cur = []
        else:
            cur.append(x)
    parts.append(cur)
    return parts


def _parse_bin(toks, ops):
    if not ops:
        return _parse_cmp(toks)
    parts = _top_split(toks, ops[0])
    if len(parts) > 1:
        return Expr(ops[0], [_parse_bin(p, ops[1:]) for p in parts])
    return _parse_bin(toks, ops[1:])


def _parse_cmp(toks):
    for op in ('==', '!=', '<=', '>=', '<', '>'):
        parts = _top_split(toks, op)
        if len(parts) == 2:
            return Expr(op, [_parse_unary(parts[0]), _parse_unary(parts[1])])
    return _parse_unary(toks)


def _parse_unary(toks):
    if toks and toks[0].s == '(' and \
            _match(toks, 0, '(', ')') == len(toks) - 1:
        # A parenthesized expression: "!(a && b)" is a negated &&.
        return parse_expr(toks[1:-1])
    if not toks:
        return Expr('atom', toks=toks)
    if toks[0].s == '-' and len(toks) == 2 and \
            re.match(r'E[A-Z_]+$|\d', toks[1].s):
        # A negative constant: an errno ("-EINTR") or "-1".
        return Expr('neg', name=toks[1].s, toks=toks)
    if toks[0].s == '!':
        return Expr('!', [_parse_unary(toks[1:])])
    if toks[0].s == '(':
        # A cast, "(long)x": what is cast decides.
        end = _match(toks, 0, '(', ')')
        inner = toks[1:end]
        if inner and all(re.match(r'[A-Za-z_]\w*$|\*$', x.s) for x in inner):
            return _parse_unary(toks[end + 1:])
    if (len(toks) >= 3 and re.match(r'[A-Za-z_]\w*$', toks[0].s) and
            toks[1].s == '(' and _match(toks, 1, '(', ')') == len(toks) - 1):
        return Expr('call', [parse_expr(a) for a in _split_args(toks[2:-1])],
                    name=toks[0].s, toks=toks)
    if len(toks) == 1 and re.match(r'[A-Za-z_]\w*$', toks[0].s):
        return Expr('var', name=toks[0].s, toks=toks)
    if len(toks) == 1 and re.match(r'\d', toks[0].s):
        return Expr('num', name=toks[0].s, toks=toks)
    return Expr('atom', toks=toks)


STOP_TESTS = {'kthread_should_stop', 'kthread_freezable_should_stop'}
TIMED_WAIT = re.compile(r'(?:io_)?wait_event\w*_timeout$|'
                        r'wait_event\w*_hrtimeout$')
UNTIMED_INTR_WAIT = re.compile(r'wait_event_(?:interruptible|freezable|'
                               r'killable)\w*$')


def _is_zero(e):
    return e.op == 'num' and bool(re.match(r'0+[uUlL]*$', e.name or ''))


class Facts:
    """What the file says about stop tests: helper functions and
    variables equivalent to one, and whether signals reach its threads."""

    def __init__(self, stop_fns=(), stop_vars=(), signals=False,
                 nostop_fns=()):
        self.stop_fns = set(stop_fns)      # non-zero: stopped
        self.nostop_fns = set(nostop_fns)  # zero: stopped
        self.stop_vars = set(stop_vars)
        self.signals = signals
        self.testers = set(STOP_TESTS)


def _wait(e):
    """For a call to a wait_event*() macro: (timed, interruptible, COND);
    else None. Interruptible here: a signal ends it (interruptible and
    freezable flavours; killable ones end only on a fatal signal, which a
    kthread does not get)."""
    if e.op != 'call' or len(e.args) < 2:
        return None
    if TIMED_WAIT.match(e.name):
        timed = True
    elif UNTIMED_INTR_WAIT.match(e.name):
        timed = False
    else:
        return None
    intr = 'interruptible' in e.name or 'freezable' in e.name
    return timed, intr, e.args[1]


def implies(e, value, facts):
    """Does e evaluating to value (true: non-zero) imply that the stop was
    requested?"""
    op = e.op
    if op == '!':
        return implies(e.args[0], not value, facts)
    if op == '&&':
        if value:
            return any(implies(a, True, facts) for a in e.args)
        return all(implies(a, False, facts) for a in e.args)
    if op == '||':
        if value:
            return all(implies(a, True, facts) for a in e.args)
        return any(implies(a, False, facts) for a in e.args)
    if op in ('==', '!=', '>', '<', '>=', '<='):
        a, b = e.args
        if _is_zero(a) or a.op == 'neg':
            a, b = b, a
            op = {'>': '<', '<': '>', '>=': '<=', '<=': '>='}.get(op, op)
        if b.op == 'neg' and b.name in SIGNAL_ERRNOS and op in ('==', '!='):
            # Only a signal makes these: for a kthread, kthread_stop()'s
            # (since 6.1), unless its file allows signals.
            return (value == (op == '==')) and not facts.signals
        if not _is_zero(b):
            return False
        if op == '!=':
            return implies(a, value, facts)
        if op == '==':
            return implies(a, not value, facts)
        w = _wait(a)
        if op == '>' and value:
            # A timed wait's positive value: its condition came true.
            if w:
                return w[0] and implies(w[2], True, facts)
            return implies(a, True, facts)
        if op == '<' and value:
            # A wait's negative value: a signal, which for a kthread is
            # kthread_stop()'s (since 6.1), unless its file allows signals.
            return bool(w) and w[1] and not facts.signals
        return False
    if op == '?:':
        c, a, b = e.args
        # (c and a) or (not c and b): each side must imply the stop.
        return ((implies(c, True, facts) or _cannot(a, value) or
                 implies(a, value, facts)) and
                (implies(c, False, facts) or _cannot(b, value) or
                 implies(b, value, facts)))
    if op == 'call':
        name = e.name
        if name in STOP_TESTS or name in facts.stop_fns:
            return value
        if name in facts.nostop_fns:
            return not value
        if name in SIGNAL_CALLS:
            # Non-zero only on a signal: for a kthread, kthread_stop()'s.
            return value and not facts.signals
        if name in ('unlikely', 'likely', 'READ_ONCE'):
            return bool(e.args) and implies(e.args[0], value, facts)
        w = _wait(e)
        if w:
            timed, intr, cond = w
            signal_is_stop = not intr or not facts.signals
            if timed:
                # Non-zero: the condition came true, or (interruptible) a
                # signal; zero: the time ran out.
                return value and signal_is_stop and \
                    implies(cond, True, facts)
            # Untimed: zero once the condition is true; non-zero on a
            # signal.
            if value:
                return intr and not facts.signals
            return implies(cond, True, facts)
        return False
    if op == 'var':
        return value and e.name in facts.stop_vars
    return False


# The errors that a pending signal makes: "ret == -ERESTARTSYS".
SIGNAL_ERRNOS = {'ERESTARTSYS', 'EINTR', 'ERESTARTNOINTR', 'ERESTARTNOHAND',
                 'ERESTART_RESTARTBLOCK'}

# Calls whose value is non-zero only when a signal is pending.
SIGNAL_CALLS = {'msleep_interruptible', 'signal_pending',
                'wait_for_completion_interruptible', 'down_interruptible',
                'mutex_lock_interruptible'}


def _cannot(e, value):
    """e cannot evaluate to value: a constant of the other truth value;
    and, for false, a plain variable (a pointer returned as "found" is
    taken to be non-NULL)."""
    if e.op == 'num':
        return _is_zero(e) != (not value)
    if e.op == 'neg':
        return not value
    if e.op == 'var':
        if e.name in ('NULL', 'false'):
            return value
        return not value
    return False


def _constant_not(e, value):
    """e is a constant of the other truth value than value."""
    if e.op in ('num', 'neg'):
        return _cannot(e, value)
    if e.op == 'var' and e.name in ('NULL', 'false', 'true'):
        return (e.name == 'true') != value
    return False


def _returns_known(body, facts):
    """For each reachable return of a function, by (line, col) of its
    keyword: is the stop known there?"""
    flow = Flow(facts)
    for _ in range(8):
        flow.changed = False
        flow.exits = {}
        flow.run(body, frozenset([UNKNOWN]))
        if not flow.changed:
            break
    return {(tok.line, tok.col): UNKNOWN not in st
            for (line, col, how), (tok, st) in flow.exits.items()
            if how == 'return'}


def _const_true(toks):
    s = ''.join(x.s for x in toks)
    return s in ('', '1', 'true', '!0', '(1)')


# ---------------------------------------------------------------------------
# The analysis

# A parked thread goes on once unparked, which kthread_stop() does; a
# thread that returns past kthread_parkme() is taken to be stopped.
PARKME = {'kthread_parkme'}
EXIT_CALLS = {'kthread_exit', 'do_exit', 'kthread_complete_and_exit',
              'module_put_and_kthread_exit', 'complete_and_exit'}
NORETURN_CALLS = {'BUG', 'panic', 'BUG_ON_ALWAYS'}
UNKNOWN, KNOWN = False, True


class Exit:
    def __init__(self, tok, how, safe):
        self.tok, self.how, self.safe = tok, how, safe

    def __repr__(self):
        return '%s@%d(%s)' % (self.how, self.tok.line,
                              'safe' if self.safe else 'UNSAFE')


def _rhs(toks):
    """An expression statement's value: the right side of a top-level
    assignment, or the whole."""
    depth = 0
    for i, x in enumerate(toks):
        if x.s in '([{':
            depth += 1
        elif x.s in ')]}':
            depth -= 1
        elif x.s == '=' and depth == 0:
            return toks[i + 1:]
    return toks


def _calls(toks):
    """Names called in a token list."""
    return [toks[i].s for i in range(len(toks) - 1)
            if toks[i + 1].s == '(' and re.match(r'[A-Za-z_]\w*$', toks[i].s)]


class Flow:
    """One forward pass over a function body. The state is a frozenset of
    UNKNOWN/KNOWN: the values "the stop is known to be requested" may have
    on the paths that reach a point; empty: unreachable."""

    def __init__(self, facts, guaranteeing=()):
        self.facts = facts
        self.guaranteeing = set(guaranteeing)
        self.exits = {}
        self.labels = {}
        self.changed = False
        self.loops = []

    def refine(self, state, cond, value):
        if not state:
            return state
        if implies(parse_expr(cond), value, self.facts):
            return frozenset([KNOWN])
        return state

    def exit(self, tok, how, state):
        if not state:
            return
        key = (tok.line, tok.col, how)
        old = self.exits.get(key)
        new = (old[1] if old else frozenset()) | state
        self.exits[key] = (tok, new)

    def expr(self, toks, state, node_tok):
        """An expression statement: exits, calls that do not return, and
        calls to helpers after which the stop is known."""
        if not state:
            return state
        names = _calls(toks)
        for n in names:
            if n in EXIT_CALLS:
                tok = next(x for x in toks if x.s == n)
                self.exit(tok, n + '()', state)
                return frozenset()
            if n in NORETURN_CALLS:
                return frozenset()
        if any(n in self.guaranteeing or n in PARKME for n in names):
            return frozenset([KNOWN])
        # A wait that returns, whatever its value, only once the stop is
        # known: "wait_event_interruptible(wq, kthread_should_stop());"
        # (its signal is the stop's), alone or assigned.
        e = parse_expr(_rhs(toks))
        if e.op == 'call' and _wait(e) and implies(e, True, self.facts) and \
                implies(e, False, self.facts):
            return frozenset([KNOWN])
        return state

    def label_in(self, name, state):
        old = self.labels.get(name, frozenset())
        if not state <= old:
            self.labels[name] = old | state
            self.changed = True

    def run(self, node, state):
        k = node.kind
        if k == 'block':
            for item in node.items:
                state = self.run(item, state)
            return state
        if k == 'expr':
            return self.expr(node.toks, state, node.tok)
        if k == 'if':
            then_in = self.refine(state, node.cond, True)
            else_in = self.refine(state, node.cond, False)
            state = self.expr(node.cond, state, node.tok)
            then_in = then_in if state else frozenset()
            else_in = else_in if state else frozenset()
            out = self.run(node.then, then_in)
            if node.other:
                out |= self.run(node.other, else_in)
            else:
                out |= else_in
            return out
        if k in ('while', 'for', 'do'):
            return self.loop(node, state)
        if k == 'switch':
            self.loops.append({'break': frozenset(), 'continue': None,
                               'switch_in': state})
            self.switch_in = state
            out = self.run(node.body, frozenset())
            frame = self.loops.pop()
            return out | frame['break'] | state
        if k == 'case':
            frame = next((f for f in reversed(self.loops)
                          if 'switch_in' in f), None)
            return state | (frame['switch_in'] if frame else frozenset())
        if k == 'break':
            if self.loops:
                self.loops[-1]['break'] |= state
            return frozenset()
        if k == 'continue':
            frame = next((f for f in reversed(self.loops)
                          if f['continue'] is not None), None)
            if frame:
                frame['continue'] |= state
            return frozenset()
        if k == 'goto':
            self.label_in(node.label, state)
            return frozenset()
        if k == 'label':
            return state | self.labels.get(node.label, frozenset())
        if k == 'return':
            names = _calls(node.toks)
            if names and names[0] in self.guaranteeing and state:
                state = frozenset([KNOWN])
            self.exit(node.tok, 'return', state)
            return frozenset()
        return state

    def loop(self, node, state):
        k = node.kind
        if k == 'for':
            state = self.expr(node.init, state, node.tok)
        forever = k != 'do' and _const_true(node.cond) and \
            not getattr(node, 'macro', False)
        if getattr(node, 'macro', False):
            forever = False
        head = state
        for _ in range(8):
            frame = {'break': frozenset(), 'continue': frozenset()}
            self.loops.append(frame)
            if k == 'do':
                body_in = head
            elif getattr(node, 'macro', False):
                body_in = head
            else:
                body_in = self.refine(head, node.cond, True)
            body_out = self.run(node.body, body_in)
            self.loops.pop()
            back = body_out | frame['continue']
            if k == 'for':
                back = self.expr(node.inc, back, node.tok)
            if k == 'do':
                tail = back
                again = self.refine(tail, node.cond, True) \
                    if not _const_true(node.cond) else tail
                new_head = state | again
            else:
                new_head = state | back
            if new_head == head:
                break
            head = new_head
        if k == 'do':
            leave = frozenset() if _const_true(node.cond) else \
                self.refine(tail, node.cond, False)
        elif getattr(node, 'macro', False):
            leave = head
        elif forever:
            leave = frozenset()
        else:
            leave = self.refine(head, node.cond, False)
        return leave | frame['break']


class _Reach(Flow):
    """Whether a path leads from the call of name a on line a_line to the
    call of name b on line b_line, in one function."""

    def __init__(self, a, b):
        Flow.__init__(self, Facts())
        self.a, self.b = a, b
        self.at_b = frozenset()

    def refine(self, state, cond, value):
        return state

    def _is(self, toks, where):
        name, line = where
        return any(t.s == name and t.line == line for t in toks)

    def expr(self, toks, state, node_tok):
        if self._is(toks, self.b):
            self.at_b |= state
        if state and self._is(toks, self.a):
            return frozenset([KNOWN])
        return state

    def run(self, node, state):
        if node.kind == 'return':
            state = self.expr(node.toks, state, node.tok)
        return Flow.run(self, node, state)

    def loop(self, node, state):
        """One pass over the body, no way back: a wake in one round of a
        loop that creates a thread per round (an array of per-queue
        threads) does not come before the reference of the next."""
        if node.kind == 'for':
            state = self.expr(node.init, state, node.tok)
        if node.kind != 'do':
            state = self.expr(node.cond, state, node.tok)
        self.loops.append({'break': frozenset(), 'continue': frozenset()})
        out = self.run(node.body, state)
        frame = self.loops.pop()
        return state | out | frame['break'] | frame['continue']


def analyse_function(body, facts, guaranteeing=()):
    """The exits of one function body (a Node), each safe or not."""
    flow = Flow(facts, guaranteeing)
    entry = frozenset([UNKNOWN])
    for _ in range(8):
        flow.changed = False
        flow.exits = {}
        end = flow.run(body, entry)
        if not flow.changed:
            break
    last = body.items[-1].tok if body.items else body.tok
    if end and last is not None:
        flow.exit(last, 'end of function', end)
    return [Exit(tok, how, UNKNOWN not in st)
            for (line, col, how), (tok, st) in sorted(flow.exits.items())]


# ---------------------------------------------------------------------------
# A file

# Sleeps and waits that kthread_stop() does not end: it sets its flag and
# wakes the thread once, and (since 6.1) makes signal_pending() true, which
# ends interruptible sleeps only. name: (index of the duration argument,
# unit); None for a wait with no timeout. These sleep again when woken
# early, on their own.
SLEEPS = {
    'msleep': (0, 'ms'),
    'ssleep': (0, 's'),
    'wait_for_completion_timeout': (1, 'jiffies'),
    'wait_for_completion_killable_timeout': (1, 'jiffies'),
    'wait_for_completion_io_timeout': (1, 'jiffies'),
    'wait_for_completion': None,
    'wait_for_completion_io': None,
    'wait_for_completion_killable': None,
}
# Sleeps that wait for nothing but time.
PURE_SLEEPS = {'msleep', 'ssleep'}
# These return when kthread_stop()'s wake-up finds the thread asleep in
# them (TASK_NORMAL wakes uninterruptible and idle sleepers): only a loop
# around one that does not test the stop sleeps again ("while (t) t =
# schedule_timeout_uninterruptible(t);"). A stop that lands between the
# test and the sleep is late by one sleep: not reported.
BARE_SLEEPS = {
    'schedule_timeout_uninterruptible': (0, 'jiffies'),
    'schedule_timeout_idle': (0, 'jiffies'),
    'schedule_timeout_killable': (0, 'jiffies'),
    # After kthread_stop()'s TIF_NOTIFY_SIGNAL it returns at once, every
    # time: a loop around it spins out the rest of the time.
    'schedule_timeout_interruptible': (0, 'jiffies'),
}
UNAWARE_WAITS = {
    'wait_event': None, 'wait_event_idle': None,
    'wait_event_idle_exclusive': None, 'wait_event_killable': None,
    'wait_event_killable_exclusive': None, 'wait_event_lock_irq': None,
    'wait_event_cmd': None, 'wait_event_exclusive_cmd': None,
    'swait_event_idle_exclusive': None, 'wait_var_event': None,
    'wait_var_event_killable': None,
    'wait_event_timeout': 2, 'wait_event_idle_timeout': 2,
    'wait_event_idle_exclusive_timeout': 2, 'wait_event_killable_timeout': 2,
    'io_wait_event_timeout': 2, 'wait_event_hrtimeout': 2,
    'wait_var_event_timeout': 2,
}
HZ = 250  # Debian's CONFIG_HZ, to put a jiffies count in milliseconds


def duration_ms(text, unit):
    """The duration a sleep's argument stands for, in ms, or None if it
    cannot be read from the text."""
    t = text.replace(' ', '')
    m = re.match(r'^(?:msecs_to_jiffies|usecs_to_jiffies)\((\d+)\)$', t)
    if m:
        return int(m.group(1)) / (1000.0 if t.startswith('u') else 1.0)
    m = re.match(r'^(\d+)\*HZ$|^HZ\*(\d+)$', t)
    if m:
        return 1000.0 * int(m.group(1) or m.group(2))
    m = re.match(r'^HZ/(\d+)$', t)
    if m:
        return 1000.0 / int(m.group(1))
    if t == 'HZ':
        return 1000.0
    if re.match(r'^\d+[uUlL]*$', t):
        n = int(re.match(r'\d+', t).group())
        return {'ms': n, 's': 1000.0 * n, 'jiffies': n * 1000.0 / HZ}[unit]
    return None


class FileInfo:
    """Everything the rules ask of one file."""

    def __init__(self, text):
        self.toks = tokenize(strip_c(text))
        self.funcs = functions(self.toks)
        self.bodies = {f: parse_body(b) for f, (p, b, t) in self.funcs.items()}
        names = set(t.s for t in self.toks)
        signals = 'allow_signal' in names
        yes, no = self._stop_fns(signals)
        self.facts = Facts(yes, (), signals, no)
        self.facts.testers = self._testers()
        self.facts.stop_vars = self._stop_vars()
        self.guaranteeing = self._guaranteeing()
        self._exits = {}

    def _stop_fns(self, signals):
        """Functions whose value is a stop test: non-zero only once the
        stop is requested ("return kthread_should_stop() || ...;" is not),
        or zero only then ("return kthread_should_stop() ? NULL : work;").
        Judged on each return's path: a return reached only with the stop
        known may return anything, and a constant of the other truth value
        may be returned on any path (napi_thread_wait(): "return 0;" while
        there is work, "return -1;" past its loop on kthread_should_stop())."""
        yes, no = set(), set()
        for _ in range(3):
            for f, body in self.bodies.items():
                rets = []
                _walk(body, lambda n: rets.append(n)
                      if n.kind == 'return' and n.toks else 0)
                if not rets or f in yes or f in no:
                    continue
                facts = Facts(yes, (), signals, no)
                known = _returns_known(body, facts)
                for value, into in ((True, yes), (False, no)):
                    some = False
                    for r in rets:
                        e = parse_expr(r.toks)
                        if known.get((r.tok.line, r.tok.col), True) or \
                                implies(e, value, facts):
                            some = True
                        elif not _constant_not(e, value):
                            break
                    else:
                        if some:
                            into.add(f)
                            break
        return yes, no

    def _testers(self):
        """Functions that call a stop test, at any depth."""
        out = set(STOP_TESTS)
        grew = True
        while grew:
            grew = False
            for f, (params, body, t) in self.funcs.items():
                if f not in out and set(_calls(body)) & out:
                    out.add(f)
                    grew = True
        return out

    def _stop_vars(self):
        """Variables every assignment of which is a stop test (or a timed
        wait on one): "stop = kthread_should_stop(); if (stop) ..."."""
        assigned = {}
        toks = self.toks
        for i in range(1, len(toks) - 1):
            if toks[i].s == '=' and re.match(r'[A-Za-z_]\w*$', toks[i - 1].s):
                j, depth, rhs = i + 1, 0, []
                while j < len(toks):
                    x = toks[j].s
                    if x in '([{':
                        depth += 1
                    elif x in ')]}':
                        if depth == 0:
                            break
                        depth -= 1
                    elif x in (';', ',') and depth == 0:
                        break
                    rhs.append(toks[j])
                    j += 1
                e = parse_expr(rhs)
                # "stop = false" (an initial value) claims nothing.
                ok = implies(e, True, self.facts) or _cannot(e, True)
                assigned.setdefault(toks[i - 1].s, []).append(ok)
        return set(v for v, oks in assigned.items() if all(oks))

    def _guaranteeing(self):
        """Functions all of whose exits are reached only with the stop
        known: after a call to one, the stop is known."""
        good = set()
        for _ in range(len(self.bodies) + 1):
            grew = False
            for f, body in self.bodies.items():
                if f in good:
                    continue
                exits = analyse_function(body, self.facts, good)
                if exits and all(e.safe for e in exits):
                    good.add(f)
                    grew = True
            if not grew:
                break
        return good

    def path(self, fn, a, b):
        """A path in fn from the call a to the call b, each (name, line)?"""
        body = self.bodies.get(fn)
        if body is None:
            return False
        reach = _Reach(a, b)
        for _ in range(8):
            reach.changed = False
            reach.run(body, frozenset([UNKNOWN]))
            if not reach.changed:
                break
        return KNOWN in reach.at_b

    def exits(self, fn):
        if fn not in self._exits:
            body = self.bodies.get(fn)
            self._exits[fn] = [] if body is None else \
                analyse_function(body, self.facts, self.guaranteeing)
        return self._exits[fn]

    def thread_bodies(self, threadfns):
        """The functions whose exits are a thread's: the thread functions,
        and the functions of the file they return the value of
        ("return thread_loop(data);"), at any depth."""
        out, todo = set(), [f for f in threadfns if f in self.bodies]
        while todo:
            f = todo.pop()
            if f in out:
                continue
            out.add(f)
            rets = []
            _walk(self.bodies[f],
                  lambda n: rets.append(n) if n.kind == 'return' else 0)
            for r in rets:
                names = _calls(r.toks)
                if names and names[0] in self.bodies and \
                        names[0] not in self.guaranteeing and \
                        r.toks and r.toks[0].s == names[0]:
                    todo.append(names[0])
        return out

    def unsafe_exits(self, threadfns):
        """(function, Exit) for every exit of a thread body that the thread
        can take before a stop; kthread_exit() calls in functions a thread
        body calls count too (their entry: stop not known)."""
        bodies = self.thread_bodies(threadfns)
        out = []
        for f in sorted(bodies):
            out += [(f, e) for e in self.exits(f) if not e.safe and
                    (e.how != 'end of function' or True)]
        called = self.called_from(bodies) - bodies
        for f in sorted(called):
            out += [(f, e) for e in self.exits(f)
                    if not e.safe and e.how.endswith('()')]
        return out

    def called_from(self, roots):
        seen, todo = set(), list(roots)
        while todo:
            f = todo.pop()
            if f in seen or f not in self.bodies:
                continue
            seen.add(f)
            todo += [n for n in _calls(self.funcs[f][1]) if n in self.bodies]
        return seen

    def unaware(self, threadfns):
        """Every sleep or wait that a stop does not end, in a thread body
        or a function it calls directly: (function, token, name, duration
        text or None for none, ms or None if unknown, first argument).

        In a called function, only sleeps and untimed waits: a timed wait
        for an event there is most often a device's answer awaited with a
        time-out ("wait_for_completion_timeout(&dma_done, HZ)"), which a
        stop waits out only when the device fails to answer; and no
        deeper than one call: two calls down, the waits of a big file's
        shared helpers (locking, I/O) are not the thread's idle sleep."""
        out = []
        bodies = self.thread_bodies(threadfns)
        callees = set()
        for f in bodies:
            callees |= set(n for n in _calls(self.funcs[f][1])
                           if n in self.bodies)
        for f in sorted(bodies | callees):
            for toks, loops in _with_loops(self.bodies[f]):
                out += self._unaware_in(f, toks, loops, f in bodies)
        return out

    def _unaware_in(self, f, toks, loops, body=True):
        out = []
        for i, t in enumerate(toks[:-1]):
            if toks[i + 1].s != '(':
                continue
            name = t.s
            end = _match(toks, i + 1, '(', ')')
            args = _split_args(toks[i + 2:end])
            first = _text(args[0]) if args else ''
            spec = None
            if name in BARE_SLEEPS:
                # Asleep again only in a loop that does not test the stop.
                if not loops or self._tests_stop(loops[-1]):
                    continue
                spec = BARE_SLEEPS[name]
            elif name in SLEEPS:
                spec = SLEEPS[name]
                if spec is None:
                    out.append((f, t, name, None, None, first))
                    continue
                if not body and name not in PURE_SLEEPS:
                    continue
            elif name in UNAWARE_WAITS and len(args) >= 2 and \
                    not _mentions_stop(args[1], self.facts):
                idx = UNAWARE_WAITS[name]
                if idx is None:
                    out.append((f, t, name, None, None, first))
                    continue
                if not body:
                    continue
                spec = (idx, 'jiffies')
            if spec and spec[0] < len(args):
                d = _text(args[spec[0]])
                out.append((f, t, name, d, duration_ms(d, spec[1]), first))
        return out

    def _tests_stop(self, loop):
        """A loop that tests the stop, in its condition or its body."""
        toks = list(loop.cond)
        _walk(loop.body, lambda n: toks.extend(
            getattr(n, 'toks', []) + getattr(n, 'cond', []) +
            getattr(n, 'init', []) + getattr(n, 'inc', [])))
        return _mentions_stop(toks, self.facts)


def _with_loops(node, loops=()):
    """(tokens, enclosing loops) for each part of a body that holds
    expressions: statements, conditions, a for loop's init and step."""
    k = node.kind
    if k in ('while', 'for', 'do'):
        inner = loops + (node,)
        if k == 'for':
            yield node.init, loops
            yield node.inc, inner
        yield node.cond, (inner if k != 'for' else inner)
        yield from _with_loops(node.body, inner)
        return
    if k == 'if':
        yield node.cond, loops
        yield from _with_loops(node.then, loops)
        if node.other:
            yield from _with_loops(node.other, loops)
        return
    if k == 'switch':
        yield node.cond, loops
        yield from _with_loops(node.body, loops)
        return
    if k == 'block':
        for item in node.items:
            yield from _with_loops(item, loops)
        return
    if k in ('expr', 'return'):
        yield node.toks, loops


def _mentions_stop(toks, facts):
    """A wait's condition that a stop can make true: it tests the stop, or
    calls a function of the file that does, at any depth (for a wait, a
    stop test anywhere in the condition is enough: "have_work() ||
    kthread_should_stop()" comes true on a stop)."""
    names = set(_calls(toks)) | set(x.s for x in toks)
    return bool(names & (STOP_TESTS | facts.testers | facts.stop_vars))


def _text(toks):
    out = ''
    for i, t in enumerate(toks):
        if i and (re.match(r'\w', t.s[0]) and re.match(r'\w', toks[i - 1].s[-1])):
            out += ' '
        elif i and t.s in ('*', '/', '+', '-') and toks[i - 1].s not in '(':
            out += ' '
            out += t.s
            out += ' '
            continue
        out += t.s
    return re.sub(r'\s+', ' ', out).strip()


def _walk(node, fn):
    if node is None:
        return
    fn(node)
    for attr in ('items',):
        for n in getattr(node, attr, []) or []:
            _walk(n, fn)
    for attr in ('then', 'other', 'body'):
        _walk(getattr(node, attr, None), fn)


_cache = {}


def file_info(path):
    if path not in _cache:
        with open(path, errors='replace') as f:
            _cache[path] = FileInfo(f.read())
    return _cache[path]


if __name__ == '__main__':
    info = file_info(sys.argv[1])
    fns = sys.argv[2:] or sorted(info.bodies)
    print('stop tests:', sorted(info.facts.stop_fns),
          'stop variables:', sorted(info.facts.stop_vars),
          'wait-for-stop helpers:', sorted(info.guaranteeing))
    for f in fns:
        print(f, info.exits(f))
    print('unaware:', [(f, t.line, n, d, ms) for f, t, n, d, ms, a in
                       info.unaware(fns)])
