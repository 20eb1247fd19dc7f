#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""corpus-judge.py - judge ktlife's tools on the kthread bug corpus.

  corpus-judge.py static LIST LINT_OUTPUT
      kthread-lint's findings over selftests/corpus/ against LIST
      (selftests/corpus/corpus.list): per rule, the bad files it flags
      (recall) and the good twins any rule flags (false alarms).
  corpus-judge.py vm LIST KERNEL LOG...
      make vm-run's verdict on every module, from the console logs (and
      their .dmesg siblings) of scripts/corpus.sh's boots of KERNEL
      (qemu/guest/corpus.sh ran them), against LIST's expectations.

Each prints TAP lines ("ok"/"not ok", numbered from 1; scripts/corpus.sh
renumbers them into its stream), then its table as Markdown on the lines
that follow "# table:", for docs/corpus.md. Exit status 0.
"""

import os
import re
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read_list(path):
    pairs = []
    for line in open(path):
        line = line.rstrip('\n')
        if not line or line.startswith('#'):
            continue
        f = [x.strip() for x in line.split(' | ')]
        if len(f) != 6:
            sys.exit('%s: not six fields: %s' % (path, line))
        pairs.append(dict(name=f[0], pitfall=f[1], rule=f[2], stock=f[3],
                          debug=f[4], shape=f[5]))
    return pairs


def tap(results):
    for i, (ok, text) in enumerate(results, 1):
        print('%s %d %s' % ('ok' if ok else 'not ok', i, text))


# ---------------------------------------------------------------------------
# kthread-lint

FINDING = re.compile(r'^(?P<path>[^:]+):(?P<line>\d+):\d+-\d+: '
                     r'(?P<sev>ERROR|WARNING): (?P<msg>.*) \[(?P<rule>\w+)\]$')


def module_of(path):
    """(pair name, "bad"|"good") of a corpus file's path."""
    parts = path.split('/')
    for p in reversed(parts):
        m = re.match(r'^(.*)_(bad|good)(?:\.c)?$', p)
        if m:
            return m.group(1), m.group(2)
    return None, None


def static(list_path, lint_path):
    pairs = read_list(list_path)
    found = {}
    for line in open(lint_path):
        m = FINDING.match(line.strip())
        if not m:
            continue
        name, kind = module_of(m.group('path'))
        if name:
            found.setdefault((name, kind), []).append(
                (m.group('rule'), m.group('sev'), int(m.group('line'))))
    rules = sorted(set(p['rule'] for p in pairs
                       if not p['rule'].startswith('none')) |
                   set(r for fs in found.values() for (r, s, l) in fs))
    results, rows = [], []
    for rule in rules:
        mine = [p for p in pairs if p['rule'] == rule]
        hit = [p for p in mine
               if any(r == rule for (r, s, l) in found.get((p['name'], 'bad'), []))]
        missed = [p['name'] for p in mine if p not in hit]
        alarms = sorted(p['name'] for p in pairs
                        if any(r == rule for (r, s, l) in
                               found.get((p['name'], 'good'), [])))
        others = sorted(p['name'] for p in pairs if p['rule'] != rule and
                        any(r == rule for (r, s, l) in
                            found.get((p['name'], 'bad'), [])))
        ok = not missed and not alarms
        results.append((ok, 'corpus lint: %s: %d of %d bad files flagged, '
                        '%d of %d good twins flagged%s%s' % (
                            rule, len(hit), len(mine), len(alarms),
                            len(pairs), '; missed: ' + ', '.join(missed)
                            if missed else '',
                            '; false alarms: ' + ', '.join(alarms)
                            if alarms else '')))
        rows.append('| `%s` | %d / %d | %s | %d / %d | %s | %s |' % (
            rule, len(hit), len(mine),
            ', '.join('`%s`' % n for n in missed) or '-',
            len(alarms), len(pairs),
            ', '.join('`%s`' % n for n in alarms) or '-',
            ', '.join('`%s`' % n for n in others) or '-'))
    none = [p for p in pairs if p['rule'].startswith('none')]
    tap(results)
    print('# table:')
    print('| rule | bad files flagged (recall) | missed | good twins flagged '
          '(false alarms) | which | also flags (bad files of other pitfalls) |')
    print('|---|---|---|---|---|---|')
    for r in rows:
        print(r)
    if none:
        print()
        print('No rule, by design:')
        print()
        for p in none:
            flagged = sorted(set(r for (r, s, l) in
                                 found.get((p['name'], 'bad'), [])))
            print('- `%s` (%s): %s%s' % (
                p['name'], p['pitfall'], p['rule'][len('none:'):].strip(),
                '; flagged anyway by ' + ', '.join('`%s`' % r for r in flagged)
                if flagged else ''))


# ---------------------------------------------------------------------------
# make vm-run's verdicts

KASAN = re.compile(r'BUG: KASAN:')
HUNG = re.compile(r'INFO: task .* blocked for more than|hung_task')


def splats(text):
    """The lines of text that qemu/run.sh's judge fails a run on."""
    with tempfile.NamedTemporaryFile('w', suffix='.log', delete=False) as f:
        f.write(text)
        name = f.name
    try:
        r = subprocess.run([os.path.join(TOP, 'qemu/run.sh'), '--splats',
                            name], capture_output=True, text=True)
        return [l for l in r.stdout.splitlines() if l.strip()]
    finally:
        os.unlink(name)


def missing_detectors(dmesg):
    out = []
    if 'KernelAddressSanitizer initialized' not in dmesg:
        out.append('use-after-free (no KASAN)')
    if 'kmemleak: Kernel memory leak detector initialized' not in dmesg:
        out.append('leaked allocations (no kmemleak)')
    if 'Lock dependency validator' not in dmesg:
        out.append('lock order (no lockdep)')
    return out


def read(path):
    try:
        with open(path, errors='replace') as f:
            return f.read().replace('\r', '')
    except OSError:
        return ''


def boot_results(log, dmesg):
    """{module: {...}} for the modules this boot ran."""
    mods = {}

    def begun(name):
        """The record of module NAME, new at its first begin line."""
        return mods.setdefault(name, dict(status=None, out=[], pids=set(),
                                          findings=set(), notes=[]))
    # The kernel log's records first (the console's lines can be cut by a
    # kernel line printed from another CPU; a record cannot), then the
    # console's lines, for a boot that died before PID 1 dumped the log.
    for line in dmesg.splitlines():
        m = re.search(r'corpus: begin \d+ ([a-z0-9_]+)$', line)
        if m:
            begun(m.group(1))
            continue
        m = re.search(r'corpus: result \d+ ([a-z0-9_]+) (\d+)$', line)
        if m and m.group(1) in mods:
            mods[m.group(1)]['status'] = int(m.group(2))
            continue
        m = re.search(r'corpus: pids ([a-z0-9_]+) ([0-9 ]*)$', line)
        if m and m.group(1) in mods:
            mods[m.group(1)]['pids'] |= set(m.group(2).split())
    for line in log.splitlines():
        # A kernel line may cut one of ours: only whole lines count.
        m = re.match(r'^corpus-begin (\d+) ([a-z0-9_]+)$', line)
        if m:
            begun(m.group(2))
            continue
        m = re.match(r'^corpus-result (\d+) ([a-z0-9_]+) (\d+)$', line)
        if m and m.group(2) in mods:
            if mods[m.group(2)]['status'] is None:
                mods[m.group(2)]['status'] = int(m.group(3))
            continue
        m = re.match(r'^corpus-pids ([a-z0-9_]+) ([0-9 ]*)$', line)
        if m and m.group(1) in mods:
            mods[m.group(1)]['pids'] |= set(m.group(2).split())
            continue
        m = re.match(r'^corpus-out (\S+): (.*)$', line)
        if m and m.group(1) in mods:
            mods[m.group(1)]['out'].append(m.group(2))
    # The kernel log, cut at the markers: each splat is its module's. A
    # boot that died has no full kernel log (PID 1 dumps it at the end):
    # the console's kernel lines then, cut at the runner's own lines.
    seg, cur = {}, None
    for line in dmesg.splitlines():
        m = re.search(r'corpus: (begin|end) \d+ ([a-z0-9_]+)', line)
        if m:
            cur = m.group(2) if m.group(1) == 'begin' else None
            if cur:
                seg.setdefault(cur, [])
            continue
        if cur:
            seg[cur].append(line)
    cur = None
    for line in log.splitlines():
        m = re.match(r'^corpus-(begin \d+|result \d+) ([a-z0-9_]+)', line)
        if m:
            cur = m.group(2) if m.group(1).startswith('begin') else None
            continue
        if cur and cur not in seg and re.match(r'^\[ *\d+\.\d+\] ', line):
            seg.setdefault(cur + ' console', []).append(line)
    for name in list(seg):
        if name.endswith(' console'):
            seg.setdefault(name[:-len(' console')], []).extend(seg.pop(name))
    for name, r in mods.items():
        text = '\n'.join(seg.get(name, []))
        for l in splats(text):
            if KASAN.search(l):
                r['findings'].add('kasan')
            elif HUNG.search(l):
                r['findings'].add('hang')
            else:
                r['findings'].add('splat')
            if len(r['notes']) < 2:
                r['notes'].append(re.sub(r'^<\d+>\[[ \d.]+\] ', '', l)[:100])
        for m in re.finditer(r'ktlife-vm: unload of (\S+) (took|still going '
                             r'after) (\d+) ms', text):
            if m.group(1) == name and (int(m.group(3)) > 1000 or
                                       m.group(2) != 'took'):
                r['findings'].add('slow-stop')
                r['notes'].append('unload %s ms' % m.group(3))
        st = r['status']
        if st is None:
            r['findings'].add('crash')
            r['notes'].append('the boot ended during it')
        elif st == 1:
            r['findings'].add('ktleak')
            why = [l for l in r['out'] if 'never put' in l or
                   'leaked kernel thread' in l or 'module ' in l]
            r['notes'].append((why or ['ktleak: leak'])[0][:100])
        elif st == 97:
            r['findings'].add('error')
            r['notes'].append('insmod failed')
        elif st == 98:
            r['findings'].add('slow-stop')
            r['notes'].append('unload still going after 10 s')
        elif st != 0:
            r['findings'].add('error')
            r['notes'].append('status %d' % st)
    # PID 1's last kmemleak scan: each record goes to the module whose
    # insmod or thread allocated it ('comm "insmod", pid 123'). A
    # task_struct (or its stack) is allocated by kthreadd, pid 2, for the
    # thread it forks: its record goes to the modules whose ktleak found a
    # task reference never put, the same leak seen by kmemleak.
    never_put = [n for n, r in mods.items()
                 if any('never put' in x for x in r['out'])]
    for m in re.finditer(r'kmemleak: +comm "([^"]*)", pid (\d+)', log):
        if m.group(2) == '2' and never_put:
            owner = never_put
        else:
            owner = [n for n, r in mods.items() if m.group(2) in r['pids']]
        for n in owner:
            mods[n]['findings'].add('kmemleak')
            mods[n]['notes'].append('kmemleak: comm %s, pid %s' %
                                    (m.group(1), m.group(2)))
        if not owner:
            mods.setdefault('(no module)', dict(
                status=0, out=[], pids=set(), findings={'kmemleak'},
                notes=['kmemleak: comm %s, pid %s' % (m.group(1),
                                                      m.group(2))]))
    return mods


def verdict(r, blind):
    f = r['findings']
    if f:
        return 'FAIL (%s)' % ', '.join(sorted(f))
    if blind:
        return 'PASS, not checked: ' + ', '.join(blind)
    return 'PASS'


def vm(list_path, kernel, logs):
    pairs = read_list(list_path)
    mods, blind = {}, None
    for log in logs:
        console = read(log)
        dmesg = read(re.sub(r'\.log$', '.dmesg', log))
        if blind is None and dmesg:
            blind = missing_detectors(dmesg)
        mods.update(boot_results(console, dmesg))
    blind = blind or []
    results, rows = [], []
    key = 'stock' if kernel == 'stock' else 'debug'
    for p in pairs:
        want = p[key]
        bad = mods.get(p['name'] + '_bad')
        good = mods.get(p['name'] + '_good')
        problems = []
        if bad is None or good is None:
            problems.append('not run')
        else:
            fb = bad['findings'] - {'crash'} if 'crash' in bad['findings'] \
                and len(bad['findings']) > 1 else bad['findings']
            if want.startswith('none'):
                if fb:
                    problems.append('bad: %s, expected none' % verdict(bad, []))
            elif want == 'blind':
                # A pass that says what it could not see; or a crash.
                if not blind:
                    problems.append('bad: this kernel is not blind')
            elif want not in bad['findings']:
                problems.append('bad: %s, expected %s' % (
                    verdict(bad, blind), want))
            if good['findings']:
                problems.append('good: %s' % verdict(good, blind))
        ok = not problems
        results.append((ok, 'corpus vm %s: %s: bad %s, good %s%s' % (
            kernel, p['name'],
            verdict(bad, blind) if bad else 'not run',
            verdict(good, blind) if good else 'not run',
            '' if ok else ' (' + '; '.join(problems) + ')')))
        rows.append('| `%s` | %s | %s | %s | %s | %s |' % (
            p['name'], want,
            verdict(bad, blind) if bad else 'not run',
            '; '.join(bad['notes'][:2]) if bad else '',
            verdict(good, blind) if good else 'not run',
            'yes' if ok else 'NO'))
    stray = mods.get('(no module)')
    if stray:
        results.append((False, 'corpus vm %s: kmemleak records no module '
                        'allocated: %s' % (kernel, '; '.join(stray['notes']))))
    tap(results)
    print('# table:')
    print('| pair | expected | bad module: verdict | how | good twin: '
          'verdict | as expected |')
    print('|---|---|---|---|---|---|')
    for r in rows:
        print(r)


if __name__ == '__main__':
    if len(sys.argv) >= 4 and sys.argv[1] == 'static':
        static(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 5 and sys.argv[1] == 'vm':
        vm(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        sys.exit(__doc__)
