python3 scheduler.py -p XYZ -s 5
