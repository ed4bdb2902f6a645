python3 multi.py -A a:5 -L a:1:1
