"""The inputs commands check before any work: the district folder (loaded once, here) and files.

Problems are not printed here: DistrictValidationError reaches the CLI's one error
handler (tapwatch/user_errors.py), which prints each `file:line: column: message` and
exits 65, the same way for every command.
"""

from __future__ import annotations

import errno
from collections.abc import Sequence
from pathlib import Path

from policy.loader import load_district
from policy.model import DistrictData
from tapwatch.exit_codes import ExitCode
from tapwatch.user_errors import CliError


def require_district_folder(folder: Path) -> Path:
    """`folder` if it is a folder; CliError (exit 66) naming it when missing or a file."""
    if not folder.exists():
        raise CliError(ExitCode.NO_INPUT, f"{folder}: no such district folder")
    if not folder.is_dir():
        raise CliError(
            ExitCode.NO_INPUT,
            f"{folder} is a file, not a district folder (give the folder that holds district.yaml)",
        )
    return folder


def load_district_folder(folder: Path) -> DistrictData:
    """The district of `folder`; raises DistrictValidationError listing every problem."""
    return load_district(require_district_folder(folder))


def require_files(paths: Sequence[Path]) -> None:
    """Every path is a file; else the first that is not is named (exit 66) before any work."""
    for path in paths:
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, "a folder, not a file", str(path))
        if not path.is_file():
            raise FileNotFoundError(errno.ENOENT, "no such file", str(path))
