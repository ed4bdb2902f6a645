python3 multi.py -A q:0
