python3 lottery.py -l 7:30,5:10,1:60 -q 3 -c -s 11
