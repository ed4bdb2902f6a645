python3 malloc.py -A +10,-0,+5,-3 -c -H 2 -a 4
