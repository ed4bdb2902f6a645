python3 fork.py -A a+b,a- -c
