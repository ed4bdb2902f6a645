python3 mlfq.py -c -l 0,5,2:2,0,1
