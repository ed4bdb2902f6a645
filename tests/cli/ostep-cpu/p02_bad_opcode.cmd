python3 process-run.py -P c2,x4
