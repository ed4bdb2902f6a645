python3 fork.py -A a+b,b+c,a+c,c-,b- -c -R
