#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""quote-check.py KSRC FILE... - every C block the docs quote is the code.

Each ```c block in FILE (README.md, docs/*.md) must follow a marker that
names where it comes from:

    <!-- quote module/writer.c writer_thread -->
    <!-- quote module/first/ktlife_first.c ktlife_first_init ticker_fn -->
    <!-- quote linux kernel/kthread.c kthread_stop -->

the file (in this tree, or with "linux" first in the extracted Debian
kernel source KSRC) and one or more of its functions (or structs, or
macros: a definition that starts in column 0; or "*", the whole file).
The block is the text of
those definitions, in that order, each with the comment right above it,
cut to what the lesson shows: it is split at lines that hold only "..."
(an elision), and each piece must appear in the definitions exactly and
in order. So a quote can leave lines out, never change one; when the code
changes under it, this fails, naming the block.

A block that is an example for the reader, not code of this tree, says so
with "<!-- example -->" above it, and must compile: gcc -fsyntax-only,
with selftests/ and KSRC's tools/testing/selftests on the include path.

Exit status: 0 if every block is true, 1 otherwise.
"""
import re
import subprocess
import sys

MARK = re.compile(r'^<!-- quote (\S+)(?: (\S+))?((?: \S+)*) -->$')


def definition(lines, name):
    """The lines of NAME's definition, with the comment above it."""
    start = None
    pat = re.compile(r'^(?:[A-Za-z_].*[\s*])?' + re.escape(name) +
                     r'(?:\(|\s*\{|\s*=|\s*;|\s*$|\[)')
    pat_struct = re.compile(r'^(?:struct|enum|union) ' + re.escape(name) +
                            r' \{')
    pat_macro = re.compile(r'^#define ' + re.escape(name) + r'\b')
    for i, line in enumerate(lines):
        if pat_struct.match(line) or pat_macro.match(line) or \
           (pat.match(line) and not line.startswith((' ', '\t', '#', '/',
                                                     '*'))):
            start = i
            break
    if start is None:
        return None
    # The comment block right above it, if any.
    first = start
    if first > 0 and lines[first - 1].rstrip().endswith('*/'):
        j = first - 1
        while j >= 0 and not lines[j].lstrip().startswith('/*'):
            j -= 1
        if j >= 0:
            first = j
    # To the closing brace in column 0, or the end of a macro or a
    # one-line declaration.
    end = start
    if lines[start].startswith('#define'):
        while lines[end].rstrip().endswith('\\'):
            end += 1
    else:
        while end < len(lines) and not re.match(r'^\}', lines[end]) and \
                not (end == start and lines[end].rstrip().endswith(';')):
            end += 1
    return lines[first:end + 1]


def check_block(path, block, src, names, ksrc, here):
    base = ksrc if src == 'linux' else '.'
    try:
        with open(f'{base}/{path}', encoding='utf-8') as f:
            lines = f.read().split('\n')
    except OSError as e:
        return f'{here}: cannot read {path}: {e}'
    # "*": an excerpt of the whole file, blank lines between definitions
    # and all.
    text = lines if names == ['*'] else []
    for name in ([] if names == ['*'] else names):
        d = definition(lines, name)
        if d is None:
            return f'{here}: no definition of {name} in {path}'
        text += d
    pieces, cur = [], []
    for line in block:
        if line.strip() == '...':
            if cur:
                pieces.append(cur)
            cur = []
        else:
            cur.append(line)
    if cur:
        pieces.append(cur)
    at = 0
    for piece in pieces:
        found = -1
        for i in range(at, len(text) - len(piece) + 1):
            if text[i:i + len(piece)] == piece:
                found = i
                break
        if found < 0:
            return (f'{here}: this piece is not in {path} '
                    f'({" ".join(names)}), or not in order:\n  ' +
                    '\n  '.join(piece))
        at = found + len(piece)
    return None


def check_example(block, ksrc, here):
    r = subprocess.run(['gcc', '-fsyntax-only', '-Wall', '-Iselftests',
                        f'-I{ksrc}/tools/testing/selftests', '-x', 'c', '-'],
                       input='\n'.join(block) + '\n', text=True,
                       capture_output=True)
    if r.returncode:
        return f'{here}: the example does not compile:\n' + r.stderr
    return None


def main():
    ksrc = sys.argv[1]
    errors = []
    blocks = 0
    for doc in sys.argv[2:]:
        with open(doc, encoding='utf-8') as f:
            lines = f.read().split('\n')
        i = 0
        while i < len(lines):
            if lines[i].strip() == '```c':
                here = f'{doc}:{i + 1}'
                j = i - 1
                while j >= 0 and not lines[j].strip():
                    j -= 1
                m = MARK.match(lines[j].strip()) if j >= 0 else None
                end = i + 1
                while end < len(lines) and lines[end].strip() != '```':
                    end += 1
                block = lines[i + 1:end]
                blocks += 1
                if j >= 0 and lines[j].strip() == '<!-- example -->':
                    err = check_example(block, ksrc, here)
                    if err:
                        errors.append(err)
                elif not m:
                    errors.append(f'{here}: a C block with no '
                                  '"<!-- quote FILE FUNCTION -->" above it')
                else:
                    src, rest = m.group(1), m.group(2)
                    names = (m.group(3) or '').split()
                    if src == 'linux':
                        path = rest
                    else:
                        path, names = src, ([rest] if rest else []) + names
                    if not names:
                        errors.append(f'{here}: the marker names no function')
                    else:
                        err = check_block(path, block, src, names, ksrc, here)
                        if err:
                            errors.append(err)
                i = end
            i += 1
    for e in errors:
        print(e)
    print(f'quote-check: {blocks} C blocks in {len(sys.argv) - 2} files, '
          f'{len(errors)} untrue')
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
