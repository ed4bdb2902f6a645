python3 fork.py -s 7 -a 8 -t
