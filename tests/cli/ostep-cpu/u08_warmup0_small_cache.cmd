python3 multi.py -L a:40:60,b:40:60,c:30:10 -w 0 -M 70 -n 2 -c -C -T
