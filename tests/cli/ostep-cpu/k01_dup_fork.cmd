python3 fork.py -A a+b,a+b,b+c,b+d,b- -c -P line1
