python3 relocation.py -b 16000 -l 400 -c
