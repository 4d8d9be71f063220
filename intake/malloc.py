"""How the daemon's process asks the C allocator to keep its memory.

glibc gives each thread that allocates its own arena, up to eight per core, and memory
freed in one arena serves only that arena again. The daemon's threads (scheduler jobs,
mailbox watchers, the desk, the pool's feeder) take turns on the same work, so over hours
each arena grows to the largest batch it has seen: tens of MB more resident, never given
back. Two arenas keep the daemon flat (bench/memory.py: 154 -> 201 MB over 30,000
messages with the default, flat with two). Elsewhere than glibc this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging

log = logging.getLogger(__name__)
M_ARENA_MAX = -8  # from glibc's malloc.h
ARENAS = 2


def limit_arenas(arenas: int = ARENAS) -> bool:
    """Called before the daemon starts its threads; True where the allocator took it."""
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        mallopt = ctypes.CDLL(name).mallopt
    except (OSError, AttributeError):  # not glibc
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    ok = bool(mallopt(M_ARENA_MAX, arenas))
    log.debug("malloc arenas limited to %d: %s", arenas, ok)
    return ok


_libc = None


def release_free_memory() -> None:
    """Give the memory freed since the last call back to the system (glibc's malloc_trim)."""
    global _libc
    if _libc is None:
        name = ctypes.util.find_library("c")
        try:
            _libc = ctypes.CDLL(name) if name else False
            if _libc:
                _libc.malloc_trim.argtypes = [ctypes.c_size_t]
        except (OSError, AttributeError):
            _libc = False
    if _libc:
        _libc.malloc_trim(0)
