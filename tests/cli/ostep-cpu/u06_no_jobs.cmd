python3 multi.py -j 0
