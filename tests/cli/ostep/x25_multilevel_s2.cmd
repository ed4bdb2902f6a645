python3 paging-multilevel-translate.py -s 2 -c
