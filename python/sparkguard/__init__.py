"""sparkguard: a static analyzer for PySpark and Scala Spark jobs.

The work is done by the ``sparkguard`` binary that the wheel installs next to the
Python interpreter's other scripts; this package only finds it, so that
``python -m sparkguard`` works where the scripts directory is not on ``PATH``.
"""

import os
import sysconfig

__all__ = ["find_sparkguard_bin"]

_EXE = "sparkguard" + (sysconfig.get_config_var("EXE") or "")


def _user_scheme():
    if hasattr(sysconfig, "get_preferred_scheme"):  # Python 3.10 and later
        return sysconfig.get_preferred_scheme("user")
    return "nt_user" if os.name == "nt" else "posix_user"


def _candidate_dirs():
    """Where an installer may have put the binary, most likely first."""
    # The scheme of the running interpreter (a virtual environment, the system).
    yield sysconfig.get_path("scripts")
    # `pip install --user`.
    try:
        yield sysconfig.get_path("scripts", scheme=_user_scheme())
    except KeyError:
        pass
    # `pip install --target DIR` puts the package in DIR and the scripts in DIR/bin.
    package_parent = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    yield os.path.join(package_parent, "bin")
    # `pip install --prefix` and similar: the scripts directory is a sibling of the
    # `lib/pythonX.Y/site-packages` the package sits in.
    directory = package_parent
    for _ in range(3):
        directory = os.path.dirname(directory)
        yield os.path.join(directory, "bin")
        yield os.path.join(directory, "Scripts")


def find_sparkguard_bin():
    """The path of the installed ``sparkguard`` binary.

    Raises ``FileNotFoundError`` naming every place that was looked in.
    """
    looked = []
    for directory in _candidate_dirs():
        if not directory or directory in looked:
            continue
        looked.append(directory)
        path = os.path.join(directory, _EXE)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    raise FileNotFoundError(
        "the sparkguard binary is not installed next to this Python package; looked in: "
        + ", ".join(looked)
    )
