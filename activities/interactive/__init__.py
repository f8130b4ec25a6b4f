"""Interactive: an uploaded xAPI (Tin Can) package, launched with launch credentials.

An administrator uploads the package (a zip with `tincan.xml`) with
`PUT /api/v1/activities/<slug>/package` or `lms content import SLUG FILE`. Launching opens its
launch file, served by Pathway on its own origin, with the usual launch query parameters
(`endpoint`, `auth`, `actor`, `registration`, `activity_id`); the content then sends its own
statements to the LRS. Statements about the package's own activity id (from `tincan.xml`)
count like statements about the activity's IRI.

Completion, from the package's own statements: `passed` (or `completed` with success true)
makes it passed, for good; otherwise any `failed` (or `completed` with success false) makes
it failed, and a plain `completed` does not undo that: only a pass does; otherwise a
`completed` makes it completed.
"""

from activities.base import (
    COMPLETED,
    FAILED,
    IN_PROGRESS,
    NOT_STARTED,
    PASSED,
    ActivityType,
    Completion,
    Event,
    Launch,
    LaunchContext,
    NoConfig,
    NotReady,
)


class Interactive(ActivityType):
    """An xAPI package: tracks itself in the learner's browser."""

    name = "interactive"
    title = "Interactive activity"
    learning = "self-study"
    config_schema = NoConfig
    xapi_type = "http://adlnet.gov/expapi/activities/module"
    tracks_in_browser = True
    # The content package kinds this type takes (see lms.content): an xAPI package.
    package_kinds = ("xapi",)

    def launch(self, context: LaunchContext) -> Launch:
        """The package's launch file with the launch parameters; NotReady when no package
        has been uploaded yet."""
        from lms.content.operations import launch_url

        package = context.package
        if package is None or package.kind not in self.package_kinds:
            raise NotReady(f"{context.activity.title!r} has no content uploaded yet.")
        return Launch(context.with_launch_parameters(launch_url(package)), "content")

    def completion(self, config: dict, events: list[Event]) -> Completion:
        """Passed at the first pass (for good); else failed once any failure is reported;
        else completed at the first completion; else started once anything happened."""
        passes = [e for e in events if e.kind == PASSED]
        if passes:
            return Completion(PASSED, passes[0].happened_at)
        if any(e.kind == FAILED for e in events):
            return Completion(FAILED)
        completions = [e for e in events if e.kind == COMPLETED]
        if completions:
            return Completion(COMPLETED, completions[0].happened_at)
        return Completion(IN_PROGRESS if events else NOT_STARTED)
