python3 fork.py -s 1 -f 0.001
