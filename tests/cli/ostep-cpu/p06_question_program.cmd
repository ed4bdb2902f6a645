python3 process-run.py -P c2,i,c1:ixyz -S SWITCH_ON_END -I IO_RUN_IMMEDIATE
