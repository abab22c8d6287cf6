"""Vendors Decap CMS from npm into actionplan/site/cms/vendor/, so that builds and the admin page need no network.

    python tools/vendor_decap.py                    # the newest 3.x release
    python tools/vendor_decap.py --version 3.16.3   # a given release
    python tools/vendor_decap.py --check            # the vendored files still match manifest.json

`npm pack` fetches the package's tarball from the registry; the script checks the tarball against the registry's
integrity hash (sha512) before taking anything out of it. From the tarball's dist/ it takes the bundle the admin page
loads, decap-cms.js, and the licence notices webpack gathered from the libraries inside it. It writes manifest.json:
the package, its version, the tarball's address and integrity, and the sha256 and size of each file written, which
tests/test_admin.py checks.

The tarball has no LICENSE file; package.json says MIT. LICENSE is the MIT licence of the decap-cms repository, which
this script asserts package.json still names.

Not vendored: the lazily loaded chunks beside the bundle (N.decap-cms.js: CodeMirror language modes for the `code`
widget, and the WebP encoder with its .wasm for image uploads set to convert to WebP), which the admin's config does
not use; cms.js, the same bundle under its old name; source maps.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "decap-cms"
MAJOR = "3"
VENDOR = Path(__file__).resolve().parent.parent / "actionplan" / "cms" / "vendor"
FILES = ("decap-cms.js", "decap-cms.js.LICENSE.txt")
"""What is taken from the tarball's dist/, under the same names."""
MANIFEST = "manifest.json"
LICENSE = """\
Decap CMS (npm package decap-cms), vendored as decap-cms.js. package.json: "license": "MIT".
The licences of the libraries bundled in it are in decap-cms.js.LICENSE.txt.

Copyright (c) 2016 Netlify <decap@p-m.si>

MIT License

Permission is hereby granted, free of charge, to any person obtaining
a copy of this software and associated documentation files (the
"Software"), to deal in the Software without restriction, including
without limitation the rights to use, copy, modify, merge, publish,
distribute, sublicense, and/or sell copies of the Software, and to
permit persons to whom the Software is furnished to do so, subject to
the following conditions:

The above copyright notice and this permission notice shall be
included in all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND,
EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF
MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE
LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION
OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION
WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""


def npm(*args: str) -> str:
    """Return what an npm command prints; stop with its message if it fails."""
    result = subprocess.run(["npm", *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"npm {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


def newest_release() -> str:
    """Return the newest published version of the major release this site is written for."""
    versions = json.loads(npm("view", f"{PACKAGE}@{MAJOR}", "version", "--json"))
    versions = [versions] if isinstance(versions, str) else versions
    return max(versions, key=lambda v: tuple(int(p) for p in v.split(".")))


def integrity_of(data: bytes) -> str:
    """Return the Subresource Integrity string (sha512) npm records for a tarball."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def vendor(version: str) -> dict:
    """Fetch the release, check it, write its files and manifest into VENDOR; return the manifest."""
    dist = json.loads(npm("view", f"{PACKAGE}@{version}", "dist", "--json"))
    with tempfile.TemporaryDirectory() as tmp:
        packed = json.loads(npm("pack", f"{PACKAGE}@{version}", "--json", "--pack-destination", tmp))[0]
        tarball = Path(tmp) / packed["filename"]
        data = tarball.read_bytes()
        # The registry's record, npm's report of what it packed and the bytes on disk must all agree.
        if not dist["integrity"] == packed["integrity"] == integrity_of(data):
            sys.exit(f"integrity mismatch for {PACKAGE}@{version}: registry {dist['integrity']}, "
                     f"pack {packed['integrity']}, file {integrity_of(data)}")
        with tarfile.open(tarball) as archive:
            meta = json.loads(archive.extractfile("package/package.json").read())
            if (meta["name"], meta["version"], meta["license"]) != (PACKAGE, version, "MIT"):
                sys.exit(f"unexpected package.json: {meta['name']} {meta['version']} licence {meta['license']}")
            contents = {name: archive.extractfile(f"package/dist/{name}").read() for name in FILES}
    VENDOR.mkdir(parents=True, exist_ok=True)
    for name, content in contents.items():
        (VENDOR / name).write_bytes(content)
    (VENDOR / "LICENSE").write_text(LICENSE, encoding="utf-8")
    manifest = {
        "package": PACKAGE,
        "version": version,
        "tarball": dist["tarball"],
        "integrity": dist["integrity"],
        "license": "MIT",
        "files": {name: {"sha256": hashlib.sha256(content).hexdigest(), "bytes": len(content)}
                  for name, content in contents.items()},
    }
    (VENDOR / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def check() -> list[str]:
    """Return what differs between the vendored files and manifest.json (nothing when they match)."""
    manifest = json.loads((VENDOR / MANIFEST).read_text(encoding="utf-8"))
    problems = []
    for name, expected in manifest["files"].items():
        path = VENDOR / name
        if not path.is_file():
            problems.append(f"{path} is missing")
            continue
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != expected["sha256"] or len(data) != expected["bytes"]:
            problems.append(f"{path} is not the file manifest.json records for {PACKAGE} {manifest['version']}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", help=f"the {PACKAGE} version to vendor (default: the newest {MAJOR}.x)")
    parser.add_argument("--check", action="store_true", help="only check the vendored files against the manifest")
    args = parser.parse_args()
    if args.check:
        problems = check()
        print("\n".join(problems) or "The vendored files match manifest.json.")
        sys.exit(1 if problems else 0)
    manifest = vendor(args.version or newest_release())
    sizes = ", ".join(f"{name} {entry['bytes']:,} bytes" for name, entry in manifest["files"].items())
    print(f"Vendored {PACKAGE} {manifest['version']} into {VENDOR}: {sizes}")


if __name__ == "__main__":
    main()
