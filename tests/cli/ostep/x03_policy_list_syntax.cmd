python3 paging-policy.py -c -a 1,+2,3_0,4,1,2 -p MRU
