python3 segmentation.py -A 5,1024,7 -c
