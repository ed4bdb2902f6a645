python3 paging-multilevel-translate.py -n 3
