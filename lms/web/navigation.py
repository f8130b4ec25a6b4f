"""The site's navigation: what each person's role gives them, in the order they use it.

Items name an endpoint; an item whose page is not installed (or not for the person's roles)
is left out, so the bar only ever links to pages that answer."""

from flask import current_app, request
from flask_login import current_user

ALL = frozenset({"learner", "tutor", "admin", "org_manager", "verifier"})

# (label, endpoint, roles that see it, endpoint prefix(es) that mark it current)
NAV = [
    ("My progress", "learner_pages.dashboard", {"learner"}, "learner_pages."),
    ("Tutorials", "tutorial_pages.index", {"learner"}, "tutorial_pages."),
    ("My learners", "learner_records.learners", {"tutor", "admin"}, "learner_records."),
    ("Tutorial week", "tutor_pages.week", {"tutor"}, "tutor_pages.week"),
    ("Availability", "tutor_pages.availability", {"tutor"}, "tutor_pages.availability"),
    ("Assessment", "assessment_pages.queue", {"tutor", "admin"},
     ("assessment_pages.queue", "assessment_pages.decide")),
    ("Verification", "assessment_pages.verification", {"verifier", "admin"},
     "assessment_pages.verif"),
    ("Organisation", "manager_pages.overview", {"org_manager"}, "manager_pages."),
    ("Administration", "admin_pages.index", {"admin"}, "admin_pages."),
    ("Content", "package_pages.packages", {"admin"}, "package_pages."),
    ("Applications", "enrolment_pages.applications", {"admin", "org_manager", "learner"},
     ("enrolment_pages.appl", "enrolment_pages.apply", "enrolment_pages.membership")),
    ("Invoices", "enrolment_pages.invoices", {"admin", "org_manager"},
     ("enrolment_pages.invoice", "enrolment_pages.payment")),
    ("Enrolments", "enrolment_pages.enrolments", {"admin", "org_manager"},
     "enrolment_pages.enrolment"),
    ("Messages", "web.notifications", ALL, "web.notification"),
]


def nav_items() -> list[dict]:
    """The signed-in person's navigation: label, URL, whether it is the current page."""
    if not current_user.is_authenticated:
        return []
    from flask import url_for

    roles = current_user.role_names
    endpoint = request.endpoint or ""
    items = []
    for label, target, who, prefix in NAV:
        if target not in current_app.view_functions or not (who & roles):
            continue
        items.append({"label": label, "url": url_for(target),
                      "current": endpoint.startswith(prefix)})
    return items
