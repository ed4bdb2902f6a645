python3 fork.py -A a+b,b+c,bx-y,b-z,c- -c -t -R
