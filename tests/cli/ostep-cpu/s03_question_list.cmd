python3 scheduler.py -l 1_0,2.50,1e3
