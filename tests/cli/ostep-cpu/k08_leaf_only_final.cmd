python3 fork.py -s 5 -a 25 -f 0.5 -L -F -c -P basic
