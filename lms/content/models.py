"""Uploaded content packages (an xAPI package with `tincan.xml`; SCORM and cmi5 later), and
where their files are kept."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.timeutil import UTCDateTime, utcnow


class ContentPackage(db.Model):
    """One uploaded package for an activity. Its files live in
    `instance/content/packages/<folder>/`; the newest upload is the activity's current one
    (earlier ones are kept, so a learner mid-way keeps a consistent package until relaunch)."""

    __tablename__ = "content_packages"
    __table_args__ = (CheckConstraint("kind IN ('xapi', 'scorm12', 'scorm2004', 'cmi5')",
                                      name="known_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"),
                                             index=True)
    kind: Mapped[str] = mapped_column(String(20))
    folder: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    launch_path: Mapped[str] = mapped_column(Text, doc="The launch file, relative to the "
                                             "package folder, with any query it needs.")
    root_activity_id: Mapped[str | None] = mapped_column(
        Text, index=True, doc="The package's own activity IRI (from its manifest): statements "
        "about it count for the activity, like statements about the activity's own IRI.")
    manifest: Mapped[dict] = mapped_column(JSON, default=dict)
    file_count: Mapped[int] = mapped_column(default=0)
    size: Mapped[int] = mapped_column(default=0, doc="Uncompressed bytes.")
    current: Mapped[bool] = mapped_column(default=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))

    activity = relationship("Activity")
