python3 lottery.py -l 0:10,2:10 -c
