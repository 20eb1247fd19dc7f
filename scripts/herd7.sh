#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# herd7.sh TREE [ARG...] - herd7, the litmus-test simulator of herdtools7,
# with the Linux-kernel memory model (LKMM) of the kernel source TREE: its
# tools/memory-model/linux-kernel.cfg and the .def, .bell and .cat that
# file names, used in place (-I TREE/tools/memory-model -conf
# linux-kernel.cfg), every ARG passed through. For example:
#   scripts/herd7.sh "$(scripts/ksrc.sh 6.12)" module/litmus/compactor-kick.litmus
#   scripts/herd7.sh "$(scripts/ksrc.sh 6.12)" -version
# scripts/litmus-check.sh runs module/litmus/ through it.
#
# herd7 is no package of bookworm: Debian has herdtools7 in sid only, built
# against sid's newer glibc. scripts/sidpkg.sh fetches it with sid's libc6
# and libgmp10, unpacks them once under $KTLIFE_CACHE/herd7, and runs it
# through the unpacked loader: nothing is installed. When herd7 cannot be
# had, this fails and says so. Exit status: herd7's own once it runs, else
# 1.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

[ $# -ge 1 ] || die "usage: herd7.sh TREE [HERD7-ARG...]"
lkmm=$1/tools/memory-model
shift
[ -f "$lkmm/linux-kernel.cfg" ] ||
	die "no $lkmm/linux-kernel.cfg: TREE must be an extracted kernel source (scripts/ksrc.sh 6.12 prints one)"

# herdtools7 with sid's libc6 and libgmp10 (its other libraries, libm and
# the loader, are libc6's).
run=$("$top/scripts/sidpkg.sh" herd7 usr/bin/herd7 herdtools7 libc6 libgmp10)
share=$(dirname "$run")/usr/share/herdtools7/herd
exec "$run" -I "$lkmm" -I "$share" -conf linux-kernel.cfg "$@"
