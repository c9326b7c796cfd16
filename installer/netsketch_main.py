"""Entry point of the frozen build (PyInstaller), shared by its two executables.

* ``netsketch-studio`` (windowed; no console on Windows/macOS): opens the window; a file the
  desktop passes (a double-click on a ``.nslesson`` or ``.csv``) is opened in it.
* ``studio`` (console): the full command line, the same as ``pip install``'s ``studio``.

Both run the same code; which one is chosen comes from the executable's name.
"""

from __future__ import annotations

import os
import sys


def _run() -> int:
    from studio.logsetup import ensure_std_streams

    ensure_std_streams()               # a windowed build starts with stdout/stderr = None
    import multiprocessing

    multiprocessing.freeze_support()   # a frozen child process must not start the app again
    from studio import cli

    exe = os.path.splitext(os.path.basename(sys.executable))[0].lower()
    if exe.startswith(("netsketch-studio", "netsketch studio")):
        # macOS adds -psn_* when launched from Finder on old systems; drop it
        args = [a for a in sys.argv[1:] if not a.startswith("-psn_")]
        return cli.main(["gui", args[0]] if args else [])
    return cli.main()


if __name__ == "__main__":
    sys.exit(_run())
