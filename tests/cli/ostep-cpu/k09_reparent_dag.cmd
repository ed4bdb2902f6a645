python3 fork.py -A a+b,a+c,b+d,c+d,c-,b- -c -P line2
