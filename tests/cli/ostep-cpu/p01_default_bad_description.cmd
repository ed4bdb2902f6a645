python3 process-run.py 
