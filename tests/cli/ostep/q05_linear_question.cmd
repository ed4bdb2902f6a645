python3 paging-linear-translate.py -n 2 -a 64 -p 256 -P 16
