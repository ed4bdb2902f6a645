python3 mlfq.py -c -l 7,12,3:30,5,0 -B 4 -i 6
