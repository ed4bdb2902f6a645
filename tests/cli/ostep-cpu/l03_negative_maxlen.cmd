python3 lottery.py -m -5 -j 2 -s 4
