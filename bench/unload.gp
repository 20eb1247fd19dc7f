# SPDX-License-Identifier: GPL-2.0
# Family 2: unload time vs number of busy writers (median, min-max bars).
# Called by scripts/bench.sh with -e "dat='DIR'; outdir='DIR'".
set terminal pngcairo size 900,560 noenhanced
set output outdir.'/unload.png'
set title 'unload time vs writers, each parked with a full fifo (stock kernel, QEMU/TCG)'
set xlabel 'writers (N)'
set ylabel 'time (ms)'
set logscale xy 2
set xrange [0.7:360]
set key bottom right
set grid
plot dat.'/unload.dat' using 1:2:3:4 with yerrorlines lw 2 title 'ktlife "all" + rmmod (graceful)', \
     '' using 1:5:6:7 with yerrorlines lw 2 title 'ktlife "all now" + rmmod', \
     '' using 1:8:9:10 with yerrorlines lw 2 title 'ktlife rmmod alone', \
     '' using 1:11:12:13 with yerrorlines lw 2 dt 2 title 'floor: create+stop N bare kthreads', \
     '' using 1:14:15:16 with yerrorlines lw 1 dt 3 title 'floor: stop N bare kthreads one by one', \
     '' using 1:17:18:19 with yerrorlines lw 1 dt 4 title 'floor: ask all, then reap'
