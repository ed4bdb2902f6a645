python3 process-run.py -P i,c1,i:c3:i,i -I IO_RUN_IMMEDIATE -L 0 -c -p
