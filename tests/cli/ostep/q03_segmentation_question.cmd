python3 segmentation.py -s 0 -n 2 -a 128 -p 512
