"""``python -m sciguard``: runs the ``sciguard`` binary installed with this package."""

import os
import sys
import sysconfig


def find_sciguard_bin() -> str:
    """The path of the ``sciguard`` binary installed alongside this package."""
    name = "sciguard" + (sysconfig.get_config_var("EXE") or "")
    candidates = [sysconfig.get_path("scripts")]
    # `pip install --user` puts scripts under the user scheme.
    user_scheme = {"nt": "nt_user", "posix": "posix_user"}.get(os.name)
    if user_scheme and user_scheme in sysconfig.get_scheme_names():
        candidates.append(sysconfig.get_path("scripts", scheme=user_scheme))
    # `pip install --target DIR` puts them in DIR/bin, next to the package.
    package_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    candidates.append(os.path.join(package_root, "bin"))
    for folder in candidates:
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            return path
    raise FileNotFoundError(
        "the sciguard binary was not found in "
        + ", ".join(candidates)
        + "; reinstall the sciguard wheel"
    )


def main() -> None:
    try:
        binary = find_sciguard_bin()
    except FileNotFoundError as error:
        print(f"sciguard: error: {error}", file=sys.stderr)
        sys.exit(2)
    if sys.platform == "win32":
        import subprocess

        sys.exit(subprocess.call([binary, *sys.argv[1:]]))
    os.execv(binary, [binary, *sys.argv[1:]])


if __name__ == "__main__":
    main()
