python3 scheduler.py -p SJF -l 3,1,2,1,3 -c
