python3 process-run.py -l 6:3.3e1,4:1_0 -c -s 9
