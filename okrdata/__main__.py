"""``python -m okrdata …``: the command line (``okrdata.cli``).

Once the command has returned, the process ends at once (``os._exit``) after what an ordinary
exit waits for (threads that are not daemons, the ``atexit`` handlers) and a flush of its output: the interpreter's teardown, which frees every module,
frame and buffer one at a time (0.15 s after an import of 2,000 teams), only gives back memory
the system takes back whole. Every command closes the stores and files it opened before it
returns. A usage error (``SystemExit``) or an exception leaves the ordinary way.
"""

import atexit
import os
import sys
import threading

from okrdata.cli import main

code = main()
for thread in threading.enumerate():
    if thread is not threading.main_thread() and not thread.daemon:
        thread.join()
atexit._run_exitfuncs()
for stream in (sys.stdout, sys.stderr):
    try:
        stream.flush()
    except (OSError, ValueError):  # a closed pipe or stream: nothing more can be said
        pass
os._exit(code)
