# SPDX-License-Identifier: GPL-2.0
# Family 1: compactor stop latency vs period_ms (median, min-max bars).
# Called by scripts/bench.sh with -e "dat='DIR'; outdir='DIR'".
set terminal pngcairo size 900,560 noenhanced
set output outdir.'/stop_latency.png'
set title 'kthread_stop() latency vs period (stock kernel, QEMU/TCG)'
set xlabel 'period_ms'
set ylabel 'stop latency (ms)'
set logscale xy
set xrange [60:16000]
set key top left
set grid
plot dat.'/stop.dat' using 1:2:3:4 with yerrorlines lw 2 title 'compactor, wait mode', \
     '' using 1:5:6:7 with yerrorlines lw 2 title 'compactor, sleep mode (the seed bug)', \
     '' using 1:8:9:10 with yerrorlines lw 2 dt 2 title 'floor: bare kthread in wait_event_idle()'
