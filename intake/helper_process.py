"""Set-up shared by the daemon's helper processes (parse workers, the IMAP store writer)."""

from __future__ import annotations

import os
import signal
import threading
import time


def helper_process_setup() -> None:
    """Ctrl-C in a terminal reaches the whole process group, but only the daemon decides
    when to stop; and a daemon killed outright takes its helpers with it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    """A daemon killed with SIGKILL cannot stop its helpers; they notice and leave."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)
