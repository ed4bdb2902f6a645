python3 malloc.py -c -H 4 -a 4 -n 20 -s 2
