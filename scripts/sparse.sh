#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# sparse.sh [ARG...] - sparse new enough for the tree it checks. Debian 12's
# sparse (0.6.4) cannot read 7.x's headers (they use __typeof_unqual__,
# which the kernel's scripts/checker-valid.sh tries first, and without
# which make C=2 skips sparse with a warning): against a 7.x tree,
# scripts/build-module.sh passes this script as CHECK=, which runs sid's
# sparse (0.6.5~rc1 today) with sid's libc6 through scripts/sidpkg.sh,
# installing nothing.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
run=$("$top/scripts/sidpkg.sh" sparse usr/bin/sparse sparse libc6)
exec "$run" "$@"
