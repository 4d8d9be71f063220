"""Set-up shared by the daemon's helper processes (parse workers, the IMAP store writer)."""

from __future__ import annotations

import os
import signal
import threading
import time


def helper_process_setup(parent: int) -> None:
    """Ctrl-C in a terminal reaches the whole process group, but only the daemon decides
    when to stop; and a daemon killed outright takes its helpers with it.

    ``parent`` is the daemon's pid as the daemon gave it: a helper starts by importing
    modules and unpickling its arguments, and a daemon killed meanwhile has already handed
    the helper to another parent, whose pid a helper asking only now would watch for ever."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    """A daemon killed with SIGKILL cannot stop its helpers; they notice and leave."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)
