"""A third-party activity type, from a throwaway package really installed with pip, appears
in Pathway without any change to `lms/`: `lms activity-types` lists it and a catalogue file
using it passes `lms catalogue check` (and fails without the package).

The package is built by pip through a tiny in-tree PEP 517 backend (written below), so the
install needs no network and no build tools beyond pip itself: setuptools can only build
wheels where the `wheel` package is installed, and newer virtual environments ship without
setuptools at all.
"""

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow

PYPROJECT = """\
[build-system]
requires = []
build-backend = "podcast_build"
backend-path = ["."]

[project]
name = "pathway-podcast"
version = "1.0.0"
description = "A podcast activity type for Pathway (a test plugin)."

[project.entry-points."lms.activities"]
podcast = "pathway_podcast:Podcast"
"""

MODULE = '''\
"""Podcast: an audio episode the learner listens to."""

import marshmallow as ma

from activities.base import ActivityType, Launch


class PodcastConfig(ma.Schema):
    minutes = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1))
    feed = ma.fields.Url(load_default=None)


class Podcast(ActivityType):
    name = "podcast"
    title = "Podcast"
    learning = "self-study"
    config_schema = PodcastConfig
    xapi_type = "http://id.tincanapi.com/activitytype/podcast"

    def launch(self, context):
        return Launch(context.content_url("podcast.mp3"), "page")
'''

# A minimal PEP 517 backend: a pure-Python wheel of one module, its metadata and entry
# points taken from pyproject.toml.
BACKEND = '''\
import base64
import hashlib
import tomllib
import zipfile
from pathlib import Path

HERE = Path(__file__).parent


def _project():
    return tomllib.loads((HERE / "pyproject.toml").read_text())["project"]


def _record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    project = _project()
    dist = project["name"].replace("-", "_")
    info = f"{dist}-{project['version']}.dist-info"
    entry_points = "".join(
        f"[{group}]\\n" + "".join(f"{k} = {v}\\n" for k, v in points.items()) + "\\n"
        for group, points in project.get("entry-points", {}).items())
    files = {
        "pathway_podcast.py": (HERE / "pathway_podcast.py").read_bytes(),
        f"{info}/METADATA": (f"Metadata-Version: 2.1\\nName: {project['name']}\\n"
                             f"Version: {project['version']}\\n"
                             f"Summary: {project['description']}\\n").encode(),
        f"{info}/WHEEL": (b"Wheel-Version: 1.0\\nGenerator: podcast_build\\n"
                          b"Root-Is-Purelib: true\\nTag: py3-none-any\\n"),
        f"{info}/entry_points.txt": entry_points.encode(),
    }
    record = [_record_line(name, data) for name, data in files.items()] + [f"{info}/RECORD,,"]
    files[f"{info}/RECORD"] = ("\\n".join(record) + "\\n").encode()
    wheel = f"{dist}-{project['version']}-py3-none-any.whl"
    with zipfile.ZipFile(Path(wheel_directory) / wheel, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return wheel
'''

CATALOGUE = """\
format: pathway-catalogue/1
qualification:
  slug: listening-certificate
  title: A listening certificate
  credits: 1
  hours: 10
  months_to_complete: 6
  units:
    - slug: listening-unit
      number: 1
      title: Listening
      credits: 1
      hours: 10
      activities:
        - slug: listening-podcast-episode-one
          type: podcast
          title: "Podcast: episode one"
          hours: 10
          config: {minutes: 45}
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The throwaway package, built and installed with pip into a folder of its own."""
    root = tmp_path_factory.mktemp("plugin")
    source = root / "pathway-podcast"
    source.mkdir()
    (source / "pyproject.toml").write_text(PYPROJECT)
    (source / "pathway_podcast.py").write_text(MODULE)
    (source / "podcast_build.py").write_text(BACKEND)
    site = root / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--no-build-isolation", "--no-index", "--no-cache-dir",
                    "--disable-pip-version-check", "--target", str(site), str(source)],
                   check=True, timeout=120, capture_output=True)
    return site


def run_lms(args, tmp_path, site=None):
    """Run `python -m lms ARGS` in a fresh process (its own instance folder), with the
    plugin's folder on PYTHONPATH when `site` is given."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("LMS_") and k != "PYTHONPATH"}
    env["LMS_INSTANCE_PATH"] = str(tmp_path / "instance")
    if site is not None:
        env["PYTHONPATH"] = str(site)
    return subprocess.run([sys.executable, "-m", "lms", *args], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)


def test_pip_installed_the_plugin_with_its_entry_point(installed):
    [dist_info] = installed.glob("pathway_podcast-1.0.0.dist-info")
    assert "[lms.activities]\npodcast = pathway_podcast:Podcast" in \
        (dist_info / "entry_points.txt").read_text()
    assert (installed / "pathway_podcast.py").is_file()


def test_the_installed_type_is_listed(installed, tmp_path):
    result = run_lms(["activity-types", "--json"], tmp_path, site=installed)
    assert result.returncode == 0, result.stderr
    types = {t["name"]: t for t in json.loads(result.stdout)}
    assert types["podcast"] == {"name": "podcast", "title": "Podcast",
                                "learning": "self-study", "assessed": False,
                                "tracks_in_browser": False, "module": "pathway_podcast"}
    assert {"reading", "film", "interactive", "assessment"} <= set(types)

    table = run_lms(["activity-types"], tmp_path, site=installed)
    assert "podcast\tPodcast\tself-study\tno\tpathway_podcast" in table.stdout.splitlines()


def test_without_the_package_the_type_is_not_there(tmp_path):
    result = run_lms(["activity-types", "--json"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "podcast" not in {t["name"] for t in json.loads(result.stdout)}


def test_a_catalogue_using_the_type_checks_only_with_the_package(installed, tmp_path):
    catalogue = tmp_path / "listening.yaml"
    catalogue.write_text(CATALOGUE)

    with_plugin = run_lms(["catalogue", "check", str(catalogue)], tmp_path, site=installed)
    assert with_plugin.returncode == 0, with_plugin.stderr
    assert f"{catalogue}: ok: A listening certificate: 1 units" in with_plugin.stdout

    without = run_lms(["catalogue", "check", str(catalogue)], tmp_path)
    assert without.returncode == 1
    assert "unknown activity type 'podcast'" in without.stderr


def test_the_plugins_config_schema_is_applied(installed, tmp_path):
    catalogue = tmp_path / "listening.yaml"
    catalogue.write_text(CATALOGUE.replace("config: {minutes: 45}", "config: {minutes: 0}"))
    result = run_lms(["catalogue", "check", str(catalogue)], tmp_path, site=installed)
    assert result.returncode == 1
    assert "config.minutes" in result.stderr
