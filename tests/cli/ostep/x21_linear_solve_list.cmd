python3 paging-linear-translate.py -A 0,4095,4096,16383,12345 -c -v
