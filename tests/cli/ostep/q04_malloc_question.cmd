python3 malloc.py -n 4
