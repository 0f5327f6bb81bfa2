"""``python -m sparkguard ARGS``: runs the installed binary with ARGS."""

import os
import subprocess
import sys

from sparkguard import find_sparkguard_bin


def main():
    try:
        binary = find_sparkguard_bin()
    except FileNotFoundError as err:
        print("error: {}".format(err), file=sys.stderr)
        return 2
    args = [binary] + sys.argv[1:]
    if os.name == "posix":
        # Replace this process, so signals and the exit code are the binary's own.
        os.execv(binary, args)
    # Windows has no exec that keeps the console: run it and pass its exit code on.
    try:
        return subprocess.call(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
