python3 scheduler.py -p RR -q 2 -l 5,-1,0.5,3 -c
