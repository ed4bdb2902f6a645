python3 relocation.py -s 1 -n 2
