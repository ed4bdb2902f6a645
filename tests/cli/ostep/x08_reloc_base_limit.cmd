python3 relocation.py -b 100 -l 300 -c -n 8 -s 2
