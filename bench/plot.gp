# The growth plot of docs/PERFORMANCE.md from bench/compare.sh --results.
# usage: gnuplot -e "results='results.tsv'; out='docs/images/performance.png'" bench/plot.gp
# Growth lines of the results file: "growth", N, import ms, MiB, sqlite3
# import ms, MiB, M, profile ms, MiB, sqlite3 mean ms, MiB, CSV MiB.
set terminal pngcairo size 900,560 font "DejaVu Sans,10"
set output out
set title "assay vs the sqlite3 shell: wall time by number of ratings (log-log)"
set xlabel "ratings"
set ylabel "wall time (ms, median)"
set logscale xy
set format x "%.0s%c"
set grid
set key top left
set datafile separator "\t"
plot "< grep '^growth' ".results using 2:3 with linespoints lw 2 pt 7 title "assay import", \
     "< grep '^growth' ".results using 2:5 with linespoints lw 2 pt 5 title "sqlite3 .import (bare table)", \
     "< grep '^growth' ".results using 7:8 with linespoints lw 2 pt 9 title "assay profile (every assessment)", \
     "< grep '^growth' ".results using 7:10 with linespoints lw 2 pt 11 title "sqlite3 mean per assessment/process/instance"
