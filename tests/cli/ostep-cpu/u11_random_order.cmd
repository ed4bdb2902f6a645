python3 multi.py -n 4 -j 6 -o -s 8 -c -t -C
