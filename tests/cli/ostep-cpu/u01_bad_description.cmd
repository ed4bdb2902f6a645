python3 multi.py -L a:1 -c
