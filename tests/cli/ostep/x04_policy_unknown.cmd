python3 paging-policy.py -c -p XYZ
