python3 multi.py -L a:30:3,b:20:50 -q -4 -c -t -T
