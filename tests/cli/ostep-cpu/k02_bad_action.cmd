python3 fork.py -A a+b,b+c+d -c
