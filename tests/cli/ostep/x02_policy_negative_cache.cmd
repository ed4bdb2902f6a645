python3 paging-policy.py -c -C -1 -n 8 -s 3
