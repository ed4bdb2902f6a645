python3 mlfq.py -l 0,5 -c
