python3 multi.py -L a:1:1,a:2:2
