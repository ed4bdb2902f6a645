python3 segmentation.py -a 16k -p 32k -c
