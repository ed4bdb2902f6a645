python3 malloc.py -A +10,-0,+5 -p FIRST
