#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""demo-docs.py [--update LOG...] DOC... - the docs' demo output is what
"make demo" printed, not a copy that drifts.

A doc marks where demo output goes:

    <!-- demo: STEP [STEP...] -->
    ...
    <!-- /demo -->

where each STEP is the id of a step() call in qemu/guest/demo.sh.

--update LOG...: replace each marked block with those steps' output, as
    read from the console logs (build/console-demo-1.log and -2.log after
    "make demo"), in a ``` block, with the date of the run.
Without --update (docs-check): check each block against demo.sh as it is
    today: every STEP exists; the block has, in order, the "=== TITLE" line
    of each STEP, with demo.sh's title; and every "$ command" line is one
    that the step runs (demo.sh's run "..." with $KT and $KO spelled out).
    So a step renamed, retitled or whose commands change fails the check
    until "make demo" and --update refresh the block.
Exit status: 0 if every block holds (or was updated).
"""
import datetime
import os
import re
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEMO = os.path.join(TOP, 'qemu/guest/demo.sh')
LIB = os.path.join(TOP, 'qemu/guest/lib.sh')
MARK = re.compile(r'^<!-- demo: ([\w ]+) -->\n(.*?)^<!-- /demo -->\n',
                  re.M | re.S)


def shell_vars():
    """KT=..., KO=... of qemu/guest/lib.sh."""
    out = {}
    for line in open(LIB):
        m = re.match(r'^(\w+)=(/\S+)$', line.strip())
        if m:
            out[m.group(1)] = m.group(2)
    return out


def demo_steps():
    """{id: (title, [command, ...])} from demo.sh's step and run calls."""
    env = shell_vars()

    def command(m):
        cmd = m.group(1).replace('\\"', '"')
        return re.sub(r'\$(\w+)', lambda v: env.get(v.group(1), v.group(0)),
                      cmd)

    # The helpers (show_status ...) whose runs a step's call makes.
    lines = open(DEMO).read().split('\n')
    helpers, name = {}, None
    for line in lines:
        m = re.match(r'^(\w+)\(\)$', line)
        if m:
            name = m.group(1)
            helpers[name] = []
        elif line == '}':
            name = None
        elif name:
            m = re.match(r'^\s*run "(.*)"$', line)
            if m:
                helpers[name].append(command(m))
    steps, cur = {}, None
    for line in lines:
        m = re.match(r'^\s*step (\w+) "(.*)"$', line)
        if m:
            cur = m.group(1)
            steps[cur] = (m.group(2), [])
            continue
        if not cur:
            continue
        m = re.match(r'^\s*run "(.*)"$', line)
        if m:
            steps[cur][1].append(command(m))
        elif line.strip() in helpers:
            steps[cur][1].extend(helpers[line.strip()])
    return steps


def log_sections(logs):
    """{title: [lines]} of each "=== title" section of the console logs."""
    out, cur = {}, None
    for path in logs:
        for line in open(path, errors='replace'):
            line = line.rstrip('\n')
            if line.startswith('=== '):
                cur = line[4:]
                out[cur] = []
            elif line.startswith('ktlife-init:'):
                cur = None
            elif cur is not None:
                out[cur].append(line)
    for lines in out.values():
        while lines and not lines[-1].strip():
            lines.pop()
    return out


def render(ids, steps, sections, date):
    body = []
    for sid in ids:
        title = steps[sid][0]
        if title not in sections:
            raise SystemExit('demo-docs: step %s ("%s") is not in the logs'
                             % (sid, title))
        if body:
            body.append('')
        body.append('=== ' + title)
        body.extend(sections[title])
    return ('What `make demo` printed (%s, Debian\'s stock kernel; '
            'scripts/demo-docs.py copies it here):\n\n```\n%s\n```\n'
            % (date, '\n'.join(body)))


def check(path, ids, block, steps):
    errs = []
    titles = [ln[4:] for ln in block.split('\n') if ln.startswith('=== ')]
    for sid in ids:
        if sid not in steps:
            errs.append('no step "%s" in qemu/guest/demo.sh' % sid)
    if errs:
        return errs
    want = [steps[sid][0] for sid in ids]
    if titles != want:
        errs.append('steps %s: titles %s, demo.sh has %s'
                    % (' '.join(ids), titles, want))
    cmds = [c for sid in ids for c in steps[sid][1]]
    for ln in block.split('\n'):
        if ln.startswith('$ ') and ln[2:] not in cmds:
            errs.append('steps %s: "%s" is not a command they run'
                        % (' '.join(ids), ln))
    return errs


def main(argv):
    logs = []
    if argv[:1] == ['--update']:
        argv = argv[1:]
        while argv and argv[0].endswith('.log'):
            logs.append(argv.pop(0))
    steps = demo_steps()
    sections = log_sections(logs) if logs else None
    date = datetime.date.fromtimestamp(
        max(os.path.getmtime(p) for p in logs)).isoformat() if logs else ''
    status = 0
    for path in argv:
        text = open(path).read()
        if sections is not None:
            def repl(m):
                ids = m.group(1).split()
                return ('<!-- demo: %s -->\n%s<!-- /demo -->\n'
                        % (m.group(1), render(ids, steps, sections, date)))
            new = MARK.sub(repl, text)
            if new != text:
                open(path, 'w').write(new)
            text = new
        for m in MARK.finditer(text):
            for e in check(path, m.group(1).split(), m.group(2), steps):
                print('%s: %s' % (os.path.relpath(path, TOP), e))
                status = 1
        for n, line in enumerate(text.split('\n'), 1):
            if line.startswith('<!-- demo:') and not MARK.match(
                    text.split('\n', n - 1)[-1]):
                print('%s:%d: a demo marker without its <!-- /demo -->'
                      % (os.path.relpath(path, TOP), n))
                status = 1
    return status


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
