python3 paging-linear-translate.py -a 12k -p 24k -c
