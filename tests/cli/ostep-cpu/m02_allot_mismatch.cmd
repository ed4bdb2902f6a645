python3 mlfq.py -A 1,2 -n 3
