"""Qualifications, units, assessment criteria and activities."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.timeutil import UTCDateTime, utcnow

Hours = Numeric(7, 2)


class Qualification(db.Model):
    """A qualification: units, credits, learning hours and the time allowed to complete."""

    __tablename__ = "qualifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    awarding_body: Mapped[str] = mapped_column(String(200), default="")
    level: Mapped[int | None]
    credits: Mapped[int]
    hours: Mapped[Decimal] = mapped_column(Hours)
    months_to_complete: Mapped[int]
    summary: Mapped[str] = mapped_column(Text, default="")
    notice: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    units: Mapped[list["Unit"]] = relationship(
        back_populates="qualification", order_by="Unit.number", cascade="all, delete-orphan"
    )


class Unit(db.Model):
    """A unit of a qualification. Credits are awarded only when the whole unit is achieved."""

    __tablename__ = "units"
    __table_args__ = (
        UniqueConstraint("qualification_id", "number"),
        CheckConstraint("grading IN ('pass', 'pass-merit-distinction')", name="known_grading"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    qualification_id: Mapped[int] = mapped_column(
        ForeignKey("qualifications.id", ondelete="CASCADE"), index=True
    )
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    credits: Mapped[int]
    hours: Mapped[Decimal] = mapped_column(Hours)
    grading: Mapped[str] = mapped_column(String(30), default="pass")
    summary: Mapped[str] = mapped_column(Text, default="")

    qualification: Mapped[Qualification] = relationship(back_populates="units")
    criteria: Mapped[list["Criterion"]] = relationship(
        back_populates="unit", order_by="Criterion.position", cascade="all, delete-orphan"
    )
    activities: Mapped[list["Activity"]] = relationship(
        back_populates="unit", order_by="Activity.position",
        primaryjoin="and_(Unit.id == Activity.unit_id, Activity.retired.is_(False))",
        viewonly=True,
    )


class Criterion(db.Model):
    """An assessment criterion of a unit ("1.1 Explain what restrictive practices are")."""

    __tablename__ = "criteria"
    __table_args__ = (UniqueConstraint("unit_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)

    unit: Mapped[Unit] = relationship(back_populates="criteria")


class Activity(db.Model):
    """Something a learner does in a unit: a film, a reading, a tutorial, an assessment...

    `type` names an activity type plugin; `config` is owned by that type. An activity that
    disappears from the catalogue file is retired, never deleted: learning records keep
    pointing at it.
    """

    __tablename__ = "activities"
    __table_args__ = (
        CheckConstraint("learning IN ('guided', 'self-study')", name="known_learning"),
        CheckConstraint("hours >= 0", name="hours_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    type: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    hours: Mapped[Decimal] = mapped_column(Hours, doc="Nominal learning hours credited.")
    learning: Mapped[str] = mapped_column(String(20))
    required: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)
    config: Mapped[dict] = mapped_column(JSON, default=dict)
    retired: Mapped[bool] = mapped_column(default=False)

    unit: Mapped[Unit] = relationship()
