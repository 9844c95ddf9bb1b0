# gnuplot -e "dat='...'; png='...'" keyd.gp: the leader's generation time
# of 6a, 6b (for every member) and 6c (once) vs group size, log-log.
# Hollow points: computed (members x per-member time), not run.
set terminal pngcairo size 1000,650 font ",10"
set output png
set logscale xy
set format x "10^{%T}"
set format y "10^{%T}"
set xlabel "members in the view"
set ylabel "generation time, ms (one core, no I/O)"
set grid xtics ytics
set key top left
set title "Key messages for the whole group (make bench-keyd)"
set xrange [0.7:150000]
set yrange [1e-3:5e6]
set label 1 "target: 6c for 100k in 50 ms" at 1.2,60 textcolor rgb "#b00000"
set arrow 1 from 0.7,50 to 150000,50 nohead dashtype 2 lc rgb "#b00000"
set label 2 "paper, Figure 4: 6c for 500 in 7 ms (300 MHz K6)" at 1.2,400 \
	textcolor rgb "#555555"
set arrow 2 from 60,300 to 450,8 lc rgb "#555555"
m(x, ok) = ok > 0.5 ? x : NaN
c(x, ok) = ok > 0.5 ? NaN : x
plot dat using 1:2 with linespoints pt 7 lw 2 lc rgb "#1f77b4" \
	title "6c (REKEY): the whole view, once", \
     '' using 1:(m($3, $4)) with linespoints pt 5 lw 2 lc rgb "#2ca02c" \
	title "6a (KEY) to every member", \
     '' using 1:(c($3, $4)) with points pt 4 ps 1.5 lc rgb "#2ca02c" \
	title "6a, computed", \
     '' using 1:(m($5, $6)) with linespoints pt 9 lw 2 lc rgb "#d62728" \
	title "6b (KEY\\_MEMBERS) to every member", \
     '' using 1:(c($5, $6)) with points pt 8 ps 1.5 lc rgb "#d62728" \
	title "6b, computed", \
     '-' using 1:2 with points pt 3 ps 2 lc rgb "#555555" \
	title "paper, Figure 4: 6c"
500 7
e
