python3 mlfq.py -c -I -i 0 -l 0,20,2:0,20,3
