python3 malloc.py -c -A +10,-0,-0
