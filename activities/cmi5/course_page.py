"""What the course structure page shows one learner: the course's blocks and AUs in
cmi5.xml's order, each AU's status, what is satisfied, and how each AU can be launched."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from activities.cmi5.models import Cmi5Satisfied, Cmi5Session
from lms.extensions import db

STATUS_LABELS = {"not-attempted": "Not attempted", "in-progress": "In progress",
                 "completed": "Completed", "passed": "Passed", "failed": "Failed",
                 "satisfied": "Satisfied", "waived": "Waived"}


def au_status(sessions: list[Cmi5Session], satisfied: bool) -> str:
    """One AU's status for the learner, from its sessions (Normal launches and waivers):
    waived, passed, completed, failed, in progress (launched), satisfied (NotApplicable,
    never launched) or not attempted."""
    normal = [s for s in sessions if s.launch_mode == "Normal"]
    if any(s.waived_at for s in normal):
        return "waived"
    if any(s.passed_at for s in normal):
        return "passed"
    if any(s.completed_at for s in normal):
        return "completed"
    if any(s.failed_at for s in normal):
        return "failed"
    if normal:
        return "in-progress"
    return "satisfied" if satisfied else "not-attempted"


def course_view(enrolment, activity) -> dict:
    """The page's data: `course` (title, description, satisfied), `nodes` (the structure:
    blocks with `children`, AUs with `status`, `status_label`, `satisfied`, `modes` and
    `launch_url`), or `course` None when no course is uploaded."""
    from lms.content.operations import current_package

    package = current_package(activity)
    if package is None or package.kind != "cmi5":
        return {"course": None, "nodes": []}
    manifest = package.manifest
    registration = enrolment.registration
    satisfied = set(db.session.execute(select(Cmi5Satisfied.object_iri).where(
        Cmi5Satisfied.registration == registration)).scalars())
    sessions: dict[str, list[Cmi5Session]] = {}
    for row in db.session.execute(select(Cmi5Session).where(
            Cmi5Session.registration == registration).order_by(Cmi5Session.id)).scalars():
        sessions.setdefault(row.au_id, []).append(row)

    def au_node(index: int) -> dict:
        au = manifest["aus"][index]
        done = au["lms_id"] in satisfied
        status = au_status(sessions.get(au["lms_id"], []), done)
        return {"type": "au", "index": index, "title": au["title"],
                "description": au["description"], "move_on": au["move_on"],
                "status": status, "status_label": STATUS_LABELS[status], "satisfied": done,
                "modes": ["Normal", "Review" if done else "Browse"],
                "launch_url": url_for("cmi5.launch_page", enrolment_id=enrolment.id,
                                      slug=activity.slug, index=index)}

    def node(item: dict) -> dict:
        if item["type"] == "au":
            return au_node(item["index"])
        block = manifest["blocks"][item["index"]]
        return {"type": "block", "title": block["title"],
                "description": block["description"],
                "satisfied": block["lms_id"] in satisfied,
                "children": [node(child) for child in item["children"]]}

    course = manifest["course"]
    return {"course": {"title": course["title"], "description": course["description"],
                       "satisfied": course["lms_id"] in satisfied},
            "nodes": [node(item) for item in manifest["structure"]]}
