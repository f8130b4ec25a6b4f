"""Activity types are found through the `lms.activities` entry points; a bad plugin is
reported by name and skipped, never stopping the service."""

import logging
import sys
import textwrap
from importlib.metadata import EntryPoint

import pytest

from activities import GROUP, discover_activity_types
from activities.base import ActivityType

BUILT_IN = {"reading", "film", "webinar", "interactive", "tutorial", "assessment"}


@pytest.fixture
def plugin_module(tmp_path, monkeypatch):
    """A throwaway importable module `pathway_test_plugins` holding sample plugins."""
    (tmp_path / "pathway_test_plugins.py").write_text(textwrap.dedent("""
        from activities.base import ActivityType

        class Podcast(ActivityType):
            name = "podcast"
            title = "Podcast"

        class Impostor(ActivityType):
            name = "film"
            title = "Another film"

        class Misnamed(ActivityType):
            name = "something-else"

        class NotAType:
            name = "notatype"

        raise_on_import = False
    """))
    (tmp_path / "pathway_broken_plugin.py").write_text("raise RuntimeError('boom')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield
    for name in ("pathway_test_plugins", "pathway_broken_plugin"):
        sys.modules.pop(name, None)


def _point(name, value):
    return EntryPoint(name=name, value=value, group=GROUP)


def test_built_in_types_are_installed_as_entry_points():
    types = discover_activity_types()
    assert set(types) >= BUILT_IN
    assert all(isinstance(t, ActivityType) for t in types.values())
    assert types["tutorial"].learning == "guided"
    assert types["film"].learning == "self-study"


def test_app_knows_the_installed_types(app):
    assert set(app.extensions["lms.activity_types"]) >= BUILT_IN


def test_a_plugin_adds_a_type(plugin_module):
    types = discover_activity_types([_point("podcast", "pathway_test_plugins:Podcast")])
    assert list(types) == ["podcast"]
    assert types["podcast"].title == "Podcast"


def test_bad_plugins_are_reported_by_name_and_skipped(plugin_module, caplog):
    points = [
        _point("film", "activities.film:Film"),
        _point("film", "pathway_test_plugins:Impostor"),
        _point("broken", "pathway_broken_plugin:Anything"),
        _point("missing", "no_such_module_anywhere:Type"),
        _point("notatype", "pathway_test_plugins:NotAType"),
        _point("misnamed", "pathway_test_plugins:Misnamed"),
        _point("podcast", "pathway_test_plugins:Podcast"),
    ]
    with caplog.at_level(logging.ERROR, logger="activities"):
        types = discover_activity_types(points)
    assert set(types) == {"film", "podcast"}
    assert type(types["film"]).__module__ == "activities.film"
    messages = "\n".join(r.getMessage() for r in caplog.records)
    for name in ("broken", "missing", "notatype", "misnamed"):
        assert f"activity type plugin {name} skipped" in messages
    assert "already taken" in messages
    assert "RuntimeError: boom" in messages


def test_type_config_is_checked_by_its_schema():
    film = discover_activity_types()["film"]
    assert film.validate_config({"minutes": 20}) == {"minutes": 20, "completion_threshold": 0.9,
                                                     "source": None}
    with pytest.raises(Exception, match="minutes"):
        film.validate_config({})
    with pytest.raises(Exception, match="Unknown field"):
        film.validate_config({"minutes": 5, "autoplay": True})
