#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""audit-table.py [--verdicts TSV] [--check] [--list] [--update DOC] [FINDINGS]
- the counts of docs/audit.md, from an audit's findings and the verdicts.

FINDINGS is the findings.txt of scripts/kthread-audit.sh (default
build/audit/findings.txt), in kthread-lint's format:

    path:line:col-col: ERROR|WARNING: function(): message [rule]

TSV (default docs/audit-verdicts.tsv) holds one verdict per finding, with
a header line naming its columns (rule, path, line, function, verdict,
trigger, tree, reason, stopper, fix); lines starting with "#" are
comments. A finding gets the verdict of the same rule, path and function;
when that function has several verdicts (several findings), the nearest
line wins, each verdict used once. So a finding that moves with the code
keeps its verdict, and the output says which ones moved.

Prints, in Markdown, the counts per rule (findings, reachable, of which
fault injection only, shape only, false, untriaged), kthread_lost_wakeup
in its own row after the others; the reachable findings by trigger; the
findings that moved; the untriaged findings; and the verdicts that match
no finding (fixed, or no longer reported).

--list: also print every finding with its verdict, grouped by verdict
    (reachable ones by trigger), kthread_lost_wakeup in its own group.
--update DOC: instead of printing, replace the blocks of DOC between
    "<!-- audit-table: counts SERIES -->" (or "list SERIES") and
    "<!-- /audit-table -->" with that output, where SERIES is the run's
    (6.12, 7.3: read from the summary.txt beside FINDINGS); the blocks of
    another series are left alone.

The verdicts of one tree serve the findings of another where rule, path
and function are the same (the tree column says where each was read);
but a verdict read in another series that matches no finding is not
"fixed": it is counted apart, not listed.
--check: exit 1 if a finding has no verdict or a verdict line is bad.
Exit status: 0, or 1 (--check failed, bad input).
"""
import os
import re
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLUMNS = ['rule', 'path', 'line', 'function', 'verdict', 'trigger', 'tree',
           'reason', 'stopper', 'fix']
VERDICTS = ['reachable', 'shape', 'false']
TRIGGERS = ['remote client', 'user', 'device/firmware', 'root',
            'fault-injection-only', 'boot-only', 'none']
RULES = ['kthread_stop_no_ref', 'kthread_create_err', 'kthread_ref_leak',
         'kthread_stop_unaware_wait', 'kthread_lost_wakeup']
APART = 'kthread_lost_wakeup'
FINDING = re.compile(r'^(?P<path>[^:\s]+):(?P<line>\d+):\d+-\d+: '
                     r'(?:ERROR|WARNING): (?P<function>[^\s(]+)\(\): '
                     r'.* \[(?P<rule>[a-z_]+)\]$')
BLOCK = re.compile(r'^<!-- audit-table: (counts|list) (\S+) -->$')
END = '<!-- /audit-table -->'


def fail(msg):
    print(f'audit-table.py: error: {msg}', file=sys.stderr)
    sys.exit(1)


def read_findings(path):
    """The findings of PATH, as dicts; bad lines are an error."""
    found = []
    with open(path, encoding='utf-8') as f:
        for n, text in enumerate(f, 1):
            text = text.rstrip('\n')
            if not text:
                continue
            m = FINDING.match(text)
            if not m:
                fail(f'{path}:{n}: not a finding: {text}')
            d = m.groupdict()
            d['line'] = int(d['line'])
            found.append(d)
    return found


def read_verdicts(path):
    """The verdicts of PATH and the problems found in them."""
    verdicts, bad, header = [], [], None
    with open(path, encoding='utf-8') as f:
        for n, text in enumerate(f, 1):
            text = text.rstrip('\n')
            if not text or text.startswith('#'):
                continue
            fields = text.split('\t')
            if header is None:
                header = fields
                missing = [c for c in COLUMNS if c not in header]
                if missing:
                    fail(f'{path}:{n}: header lacks {", ".join(missing)}')
                continue
            if len(fields) != len(header):
                bad.append(f'{path}:{n}: {len(fields)} fields, '
                           f'not {len(header)}')
                continue
            v = dict(zip(header, fields))
            v['where'] = f'{path}:{n}'
            if not v['line'].isdigit():
                bad.append(f'{path}:{n}: line "{v["line"]}"')
                continue
            v['line'] = int(v['line'])
            if v['verdict'] not in VERDICTS:
                bad.append(f'{path}:{n}: verdict "{v["verdict"]}"')
            if v['trigger'] not in TRIGGERS:
                bad.append(f'{path}:{n}: trigger "{v["trigger"]}"')
            if not v['reason']:
                bad.append(f'{path}:{n}: no reason')
            verdicts.append(v)
    if header is None:
        fail(f'{path}: no header line')
    return verdicts, bad


def align(a, b):
    """Pairs (i, j) matching the lines of A to those of B (both sorted), in
    order: as many pairs as can be, then the least total distance (code
    that moves keeps the order of a function's findings)."""
    n, m = len(a), len(b)
    # best[i][j]: (-pairs, distance, pairs) for a[i:] and b[j:].
    best = [[(0, 0, ())] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            p, d, s = best[i + 1][j + 1]
            take = (p - 1, d + abs(a[i] - b[j]), ((i, j),) + s)
            best[i][j] = min(take, best[i + 1][j], best[i][j + 1],
                             key=lambda t: t[:2])
    return best[0][0][2]


def match(findings, verdicts, series):
    """Each finding's verdict (or None), and the verdicts left over. A
    finding takes the verdicts read in its own SERIES where there are,
    else those read in another tree."""
    key = lambda d: (d['rule'], d['path'], d['function'])  # noqa: E731
    by_key = {}
    for v in verdicts:
        by_key.setdefault(key(v), []).append(v)
    for k, vs in by_key.items():
        own = [v for v in vs if series_of(v['tree']) == series]
        by_key[k] = own or vs
    got = {}
    groups = {}
    for i, f in enumerate(findings):
        groups.setdefault(key(f), []).append(i)
    for k, idx in groups.items():
        vs = sorted(by_key.get(k, []), key=lambda v: v['line'])
        for i, j in align([findings[i]['line'] for i in idx],
                          [v['line'] for v in vs]):
            got[idx[i]] = vs[j]
    matched = {id(v) for v in got.values()}
    stale = [v for v in verdicts if id(v) not in matched]
    return [got.get(i) for i in range(len(findings))], stale


def rule_order(names):
    """The known rules in their order, then any other."""
    return list(RULES) + sorted(n for n in names if n not in RULES)


def counts_row(name, pairs):
    n = len(pairs)
    c = {k: 0 for k in VERDICTS}
    fi = untriaged = 0
    for _, v in pairs:
        if v is None:
            untriaged += 1
            continue
        c[v['verdict']] += 1
        if v['verdict'] == 'reachable' and \
                v['trigger'] == 'fault-injection-only':
            fi += 1
    return f'| {name} | {n} | {c["reachable"]} | {fi} | {c["shape"]} | ' \
        f'{c["false"]} | {untriaged} |'


def series_of(tree):
    """'6.12' of '6.12.118', of 'linux-source-6.12-6.12.118-1_deb12u1'."""
    m = re.search(r'(\d+\.\d+)', tree or '')
    return m.group(1) if m else None


def counts(findings, got, stale, tree, series):
    """The counts block, as lines."""
    out = []
    other = [v for v in stale if series_of(v['tree']) != series]
    stale = [v for v in stale if series_of(v['tree']) == series]
    pairs = list(zip(findings, got))
    rules = rule_order({f['rule'] for f in findings})
    if tree:
        out.append(f'Findings of {tree}.')
        out.append('')
    out.append('| rule | findings | reachable | of which fault injection '
               'only | shape only | false | untriaged |')
    out.append('|---|---|---|---|---|---|---|')
    main = [p for p in pairs if p[0]['rule'] != APART]
    for r in rules:
        if r != APART:
            out.append(counts_row(f'`{r}`',
                                  [p for p in pairs if p[0]['rule'] == r]))
    out.append(counts_row('all but lost_wakeup', main))
    out.append(counts_row(f'`{APART}` (on >= 6.1, see below)',
                          [p for p in pairs if p[0]['rule'] == APART]))
    out.append(counts_row('**total**', pairs))
    out.append('')
    reach = [v for _, v in pairs if v and v['verdict'] == 'reachable']
    if reach:
        out.append('Reachable findings by who can trigger them:')
        out.append('')
        out.append('| trigger | findings |')
        out.append('|---|---|')
        for t in TRIGGERS:
            n = sum(1 for v in reach if v['trigger'] == t)
            if n:
                out.append(f'| {t} | {n} |')
    else:
        out.append('No finding is reachable.')
    carried = {}
    for _, v in pairs:
        if v and series_of(v['tree']) != series:
            carried[v['tree']] = carried.get(v['tree'], 0) + 1
    for t, n in sorted(carried.items()):
        out.append('')
        out.append(f'{n} verdict(s) were read in {t}, on code that the '
                   'rule finds at the same path and function here.')
    moved = [(f, v) for f, v in pairs if v and v['line'] != f['line'] and
             series_of(v['tree']) == series]
    if moved:
        out.append('')
        out.append(f'{len(moved)} finding(s) matched their verdict at '
                   'another line (the code moved):')
        out.append('')
        for f, v in moved:
            out.append(f'- `{f["path"]}:{f["line"]}` `{f["function"]}()` '
                       f'[{f["rule"]}], read at line {v["line"]} '
                       f'({v["tree"]})')
    untriaged = [f for f, v in pairs if v is None]
    out.append('')
    if untriaged:
        out.append(f'{len(untriaged)} untriaged finding(s):')
        out.append('')
        for f in untriaged:
            out.append(f'- `{f["path"]}:{f["line"]}` `{f["function"]}()` '
                       f'[{f["rule"]}]')
    else:
        out.append('Every finding has a verdict.')
    if stale:
        out.append('')
        out.append(f'{len(stale)} verdict(s) match no finding (fixed, or '
                   'no longer reported):')
        out.append('')
        for v in stale:
            out.append(f'- `{v["path"]}:{v["line"]}` `{v["function"]}()` '
                       f'[{v["rule"]}]: {v["verdict"]}')
    if other:
        out.append('')
        out.append(f'({len(other)} verdict(s) read in other trees match no '
                   'finding here; the page says which of them changed.)')
    return out


def item(f, v, tree=True):
    """One finding of the list; TREE: say which tree it was read in."""
    s = f'- `{f["path"]}:{f["line"]}` `{f["function"]}()` [{f["rule"]}]'
    if v['verdict'] != 'false':
        s += f', {v["trigger"]}'
    if tree:
        s += f' (read in {v["tree"]})'
    s += f': {v["reason"]}'
    s += f' Stopper: {v["stopper"]}.' if v['stopper'] else ''
    if v['verdict'] == 'false':
        s += ' What the rule now does: see [kthread-lint.md](kthread-lint.md).'
    elif v['fix'] and v['fix'] != 'none needed':
        s += f' Fix: {v["fix"]}.'
    return s


def listing(findings, got):
    """The list block, as lines."""
    out = []
    pairs = [(f, v) for f, v in zip(findings, got) if v]
    trees = sorted({v['tree'] for _, v in pairs})
    if len(trees) == 1:
        out.append(f'Every verdict below was read in {trees[0]}.')
        out.append('')
    one = len(trees) == 1
    main = [p for p in pairs if p[0]['rule'] != APART]
    reach = [p for p in main if p[1]['verdict'] == 'reachable']
    out.append(f'### Reachable bugs ({len(reach)})')
    for t in TRIGGERS:
        sel = [p for p in reach if p[1]['trigger'] == t]
        if sel:
            out.append('')
            out.append(f'#### Trigger: {t} ({len(sel)})')
            out.append('')
            out.extend(item(f, v, not one) for f, v in sel)
    for verdict, title in (('shape', 'Shape only'), ('false', 'False')):
        sel = [p for p in main if p[1]['verdict'] == verdict]
        out.append('')
        out.append(f'### {title} ({len(sel)})')
        out.append('')
        out.extend(item(f, v, not one) for f, v in sel)
    sel = [p for p in pairs if p[0]['rule'] == APART]
    out.append('')
    out.append(f'### `{APART}` ({len(sel)})')
    out.append('')
    out.extend(item(f, v, not one) for f, v in sel)
    return out


def update(doc, blocks, series):
    """Rewrites DOC's blocks marked for SERIES; fails if it has none."""
    with open(doc, encoding='utf-8') as f:
        lines = f.read().split('\n')
    out, i, n = [], 0, 0
    while i < len(lines):
        m = BLOCK.match(lines[i])
        out.append(lines[i])
        i += 1
        if not m or m.group(2) != series:
            continue
        while i < len(lines) and lines[i] != END:
            i += 1
        if i == len(lines):
            fail(f'{doc}: no {END} after "{m.group(0)}"')
        out.extend([''] + blocks[m.group(1)] + [''])
        n += 1
    if not n:
        fail(f'{doc}: no <!-- audit-table: ... {series} --> block')
    with open(doc, 'w', encoding='utf-8') as f:
        f.write('\n'.join(out))
    return 0


def main(argv):
    verdicts_path = os.path.join(TOP, 'docs', 'audit-verdicts.tsv')
    findings_path = os.path.join(os.environ.get('KTLIFE_BUILD',
                                                os.path.join(TOP, 'build')),
                                 'audit', 'findings.txt')
    check = do_list = False
    doc = None
    while argv:
        a = argv.pop(0)
        if a == '--verdicts' and argv:
            verdicts_path = argv.pop(0)
        elif a == '--check':
            check = True
        elif a == '--list':
            do_list = True
        elif a == '--update' and argv:
            doc = argv.pop(0)
        elif a.startswith('-'):
            fail(__doc__.split('\n')[0])
        else:
            findings_path = a
    findings = read_findings(findings_path)
    verdicts, bad = read_verdicts(verdicts_path)
    tree = None
    summary = os.path.join(os.path.dirname(findings_path), 'summary.txt')
    if os.path.exists(summary):
        with open(summary, encoding='utf-8') as f:
            first = f.readline().strip()
        m = re.match(r'kthread rules over (\S+?):', first)
        tree = f'`{m.group(1)}`' if m else None
    series = series_of(tree)
    got, stale = match(findings, verdicts, series)
    blocks = {'counts': counts(findings, got, stale, tree, series),
              'list': listing(findings, got)}
    if doc:
        if not series:
            fail(f'no summary.txt beside {findings_path}: which tree?')
        update(doc, blocks, series)
    else:
        print('\n'.join(blocks['counts']))
        if do_list:
            print()
            print('\n'.join(blocks['list']))
    for b in bad:
        print(f'audit-table.py: {b}', file=sys.stderr)
    untriaged = sum(1 for v in got if v is None)
    if check and (bad or untriaged):
        print(f'audit-table.py: {untriaged} untriaged finding(s), '
              f'{len(bad)} bad verdict line(s)', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
