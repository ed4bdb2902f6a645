python3 paging-linear-translate.py -u 100 -c -s 4 -v
