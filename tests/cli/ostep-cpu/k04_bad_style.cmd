python3 fork.py -A a+b -c -P weird
