#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the VM before "make vm" hands over the shell: load ktlife
# and say where things are.
# shellcheck source=qemu/guest/lib.sh
. /payload/lib.sh
insmod "$KO" || exit 1
echo "ktlife loaded; its files are in $KT:"
ls "$KT"
echo "try: echo 1 > $KT/create; echo hi > $KT/writers/1/queue; cat $KT/status"
