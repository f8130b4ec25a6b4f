"""Alembic environment for Pathway's migrations (run through Flask-Migrate: `lms db ...`,
and by `lms init`)."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app
from sqlalchemy.types import TypeDecorator

config = context.config
if config.config_file_name and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

# Tables owned by other software in the same database (APScheduler's job store).
FOREIGN_TABLES = {"apscheduler_jobs"}


def target_metadata():
    """Every table Pathway owns: the core's and the LRS's."""
    from xapi.models import metadata as lrs_metadata

    return [current_app.extensions["migrate"].db.metadata, lrs_metadata]


def include_object(obj, name, type_, reflected, compare_to):
    return not (type_ == "table" and name in FOREIGN_TABLES)


def render_item(type_, obj, autogen_context):
    """Write Pathway's column types as the plain SQLAlchemy types they store as."""
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


def process_revision_directives(context_, revision, directives):
    """Make no empty migration when autogenerate finds no change."""
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def run_migrations_online():
    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", process_revision_directives)
    engine = current_app.extensions["migrate"].db.engine
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata(),
                          include_object=include_object, render_item=render_item,
                          **conf_args)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Pathway runs migrations online only: `lms db upgrade` or `lms init`.")
run_migrations_online()
