python3 multi.py -p -n 3 -L a:20:90,b:50:1,c:60:2,d:10:10 -A b:0.1,c:0.2 -P 4 -c -t -S -s 3
