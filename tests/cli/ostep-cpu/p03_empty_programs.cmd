python3 process-run.py -P c0:i -c -p
