python3 segmentation.py -a 1001 -p 3000 -s 5 -n 10 -c
