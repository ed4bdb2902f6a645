python3 mlfq.py -c -n 3 -q 4 -A 3,2,1 -S -l 0,40,4:0,30,8
