# SPDX-License-Identifier: GPL-2.0
# Family 3 and 6: messages per second vs producers (median, min-max bars),
# pinned and unpinned.
# Called by scripts/bench.sh with -e "dat='DIR'; outdir='DIR'".
set terminal pngcairo size 1200,1000 noenhanced
set output outdir.'/throughput.png'
set multiplot layout 2,2 title 'throughput vs producers, one writer each (stock kernel, QEMU/TCG)'
set xlabel 'producers'
set ylabel 'messages/s'
set logscale y
set xrange [0.7:4.5]
set xtics (1, 2, 4)
set grid
set key bottom right
do for [mode in 'pinned unpinned'] {
do for [size in '64 256'] {
	set title size.'-byte messages, '.mode
	plot dat.'/tput-'.mode.'-'.size.'.dat' using 1:2:3:4 with yerrorlines lw 2 title 'ktlife writer kthread', \
	     '' using 1:5:6:7 with yerrorlines lw 2 title 'kthread_worker peer', \
	     '' using 1:8:9:10 with yerrorlines lw 2 title 'workqueue peer', \
	     '' using 1:14:15:16 with yerrorlines lw 1 dt 3 title 'debugfs write(), no queue', \
	     '' using 1:11:12:13 with yerrorlines lw 1 dt 2 title 'floor: write() to /dev/null'
}
}
unset multiplot
