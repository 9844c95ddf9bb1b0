# gnuplot -e "dat='...'; png='...'" datapath.gp: datagrams/s per config
# and size, as grouped bars.
set terminal pngcairo size 1400,600 font ",10"
set output png
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set key top right title "datagram size"
set ylabel "datagrams/s delivered (TCG guest, 2 vCPUs)"
set xtics rotate by -35
set grid ytics
set yrange [0:*]
if (!exists("kernel")) kernel = "6.1"
set title sprintf("Antigone datapath vs plain UDP, ESP and MACsec, kernel %s (make bench-datapath)", kernel)
plot dat using 2:xtic(1) title columnhead(2), \
     '' using 3 title columnhead(3), \
     '' using 4 title columnhead(4)
