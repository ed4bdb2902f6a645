python3 relocation.py -s 010 -c
