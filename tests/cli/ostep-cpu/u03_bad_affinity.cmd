python3 multi.py -A a -L a:1:1
