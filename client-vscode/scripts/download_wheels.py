"""Download the wheels a requirement needs on another Python version and platform.

`pip download --python-version 3.X --platform ...` picks wheels for the target, but evaluates
environment markers (`exceptiongroup; python_version < "3.11"`) for the Python running pip. This
script downloads, then walks every wheel's `Requires-Dist` with the markers evaluated for the
target, and downloads what is still missing until the set is closed.

Usage: python download_wheels.py DEST PY_VERSION TARGET REQUIREMENT [--constraint FILE]

With AI_STRATEGY_WHEELHOUSE=DIR, pip also looks in DIR and every wheel downloaded is kept there;
with AI_STRATEGY_OFFLINE=1 as well, pip looks in DIR only (no index): the tests bundle offline
from the wheelhouse that `ci-setup.sh` fills.
"""

from __future__ import annotations

import email.parser
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

try:
    from packaging.markers import default_environment
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name, parse_wheel_filename
except ImportError:  # pip always carries a copy
    from pip._vendor.packaging.markers import default_environment
    from pip._vendor.packaging.requirements import Requirement
    from pip._vendor.packaging.utils import canonicalize_name, parse_wheel_filename

# pip matches --platform tags exactly (it only widens manylinux tags), so every macOS release a
# wheel may be built for, up to the oldest one the extension runs on, is listed: 10.9 to 11.0 for
# Intel (and universal2 wheels), 11.0 for Apple silicon.
_MACOS_INTEL = [f"macosx_{v}_{arch}" for v in ("10_9", "10_10", "10_11", "10_12", "10_13", "10_14", "10_15", "11_0")
                for arch in ("x86_64", "universal2")]
_MACOS_ARM = ["macosx_11_0_arm64", *(f"macosx_{v}_universal2" for v in ("10_9", "10_10", "10_11", "10_12", "10_13",
                                                                         "10_14", "10_15", "11_0"))]

# vsce target -> (pip platform tags, marker environment)
TARGETS: dict[str, tuple[list[str], dict[str, str]]] = {
    "linux-x64": (["manylinux2014_x86_64"], {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix", "platform_machine": "x86_64"}),
    "linux-arm64": (["manylinux2014_aarch64"], {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix", "platform_machine": "aarch64"}),
    "alpine-x64": (["musllinux_1_1_x86_64"], {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix", "platform_machine": "x86_64"}),
    "darwin-x64": (_MACOS_INTEL, {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix", "platform_machine": "x86_64"}),
    "darwin-arm64": (_MACOS_ARM, {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix", "platform_machine": "arm64"}),
    "win32-x64": (["win_amd64"], {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt", "platform_machine": "AMD64"}),
    "win32-arm64": (["win_arm64"], {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt", "platform_machine": "ARM64"}),
}


def wheelhouse_args() -> list[str]:
    """pip's options for the wheelhouse of AI_STRATEGY_WHEELHOUSE / AI_STRATEGY_OFFLINE, if any."""
    wheelhouse = os.environ.get("AI_STRATEGY_WHEELHOUSE")
    if not wheelhouse:
        return []
    offline = ["--no-index"] if os.environ.get("AI_STRATEGY_OFFLINE") == "1" else []
    return [*offline, "--find-links", wheelhouse]


def keep_in_wheelhouse(dest: Path) -> None:
    """Copy the downloaded wheels into AI_STRATEGY_WHEELHOUSE, when it is set."""
    wheelhouse = os.environ.get("AI_STRATEGY_WHEELHOUSE")
    if wheelhouse:
        Path(wheelhouse).mkdir(parents=True, exist_ok=True)
        for wheel in dest.glob("*.whl"):
            if not wheel.name.startswith("ai_strategy-"):
                shutil.copy2(wheel, Path(wheelhouse) / wheel.name)


def pip_download(dest: Path, version: str, platforms: list[str], requirements: list[str], constraint: str | None, no_deps: bool) -> None:
    """Run pip download for the target version and platforms."""
    abi = "cp" + version.replace(".", "")
    args = [sys.executable, "-m", "pip", "--disable-pip-version-check", "download", "-qq", "--only-binary=:all:",
            "--dest", str(dest), "--python-version", version, "--implementation", "cp",
            "--abi", abi, "--abi", "abi3", "--abi", "none"]
    for platform in [*platforms, "any"]:
        args += ["--platform", platform]
    if constraint:
        args += ["--constraint", constraint]
    if no_deps:
        args.append("--no-deps")
    args += wheelhouse_args()
    print("$ python", " ".join(args[1:] + requirements), flush=True)
    subprocess.run(args + requirements, check=True)


def wheel_requirements(wheel: Path) -> list[Requirement]:
    """The Requires-Dist entries of a wheel's METADATA."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = email.parser.Parser().parsestr(archive.read(name).decode("utf-8"))
    return [Requirement(value) for value in metadata.get_all("Requires-Dist") or []]


def main() -> int:
    args = sys.argv[1:]
    constraint = None
    if "--constraint" in args:
        index = args.index("--constraint")
        constraint = args[index + 1]
        del args[index : index + 2]
    dest, version, target, requirement = Path(args[0]), args[1], args[2], args[3]
    platforms, marker_env = TARGETS[target]
    environment = {**default_environment(), **marker_env, "python_version": version,
                   "python_full_version": f"{version}.0", "implementation_name": "cpython",
                   "platform_python_implementation": "CPython"}
    pip_download(dest, version, platforms, [requirement], constraint, no_deps=False)
    for _round in range(20):
        wheels = {canonicalize_name(parse_wheel_filename(w.name)[0]): w for w in dest.glob("*.whl")}
        versions = {name: parse_wheel_filename(w.name)[1] for name, w in wheels.items()}
        wanted: dict[str, set[str]] = {name: set() for name in wheels}  # extras asked of each
        missing: list[str] = []
        changed = True
        while changed:  # extras can pull in more requirements of wheels already present
            changed = False
            for name, wheel in wheels.items():
                for req in wheel_requirements(wheel):
                    extras = wanted[name] or {""}
                    if req.marker and not any(req.marker.evaluate({**environment, "extra": e}) for e in extras):
                        continue
                    dep = canonicalize_name(req.name)
                    if dep not in wheels:
                        text = str(Requirement(f"{req.name}{'[' + ','.join(sorted(req.extras)) + ']' if req.extras else ''}{req.specifier}"))
                        if text not in missing:
                            missing.append(text)
                        continue
                    if req.specifier and not req.specifier.contains(versions[dep], prereleases=True):
                        print(f"download_wheels: {dep} {versions[dep]} does not satisfy {req} for Python {version}", file=sys.stderr)
                        return 1
                    if not set(req.extras) <= wanted[dep]:
                        wanted[dep] |= set(req.extras)
                        changed = True
        if not missing:
            keep_in_wheelhouse(dest)
            return 0
        print(f"download_wheels: markers for Python {version} ({target}) also need: {', '.join(missing)}", flush=True)
        pip_download(dest, version, platforms, missing, constraint, no_deps=False)
    print("download_wheels: requirements did not settle", file=sys.stderr)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
