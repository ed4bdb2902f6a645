python3 paging-policy.py -c -p OPT -a 1,2,3,4,5,6,7,1,2,3 -C 3
