python3 multi.py -r 0 -c
