python3 process-run.py -l 4:40,3:60,2:0 -S SWITCH_ON_END -c -p -s 3
