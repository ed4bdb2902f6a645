python3 paging-policy.py -s 10 -n 3
