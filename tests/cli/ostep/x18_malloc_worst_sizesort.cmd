python3 malloc.py -c -n 40 -s 3 -p WORST -l SIZESORT+ -C
