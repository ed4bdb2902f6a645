python3 mlfq.py -c -Q 3,5,7,9 -l 0,50,0:5,20,6 -B 25
