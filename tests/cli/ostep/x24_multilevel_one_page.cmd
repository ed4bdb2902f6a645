python3 paging-multilevel-translate.py -a 1 -c -n 20 -s 5
