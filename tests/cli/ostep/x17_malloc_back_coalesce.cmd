python3 malloc.py -c -A +10,+20,+30,-1,-0,-2 -C -l INSERT-BACK
