python3 relocation.py -l -5 -c
