python3 paging-policy.py -s 4 -n 12 -p CLOCK -b 0 -c
