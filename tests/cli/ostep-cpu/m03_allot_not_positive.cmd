python3 mlfq.py -A 0,1 -n 2
