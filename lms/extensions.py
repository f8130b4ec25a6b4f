"""Flask extensions, created unbound here and bound to an app in `create_app`."""

from flask import session
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from lms.api import PathwayApi

# Named constraints, so Alembic can alter them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of every Pathway model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class PathwayLoginManager(LoginManager):
    """Flask-Login's manager, with "strong" session protection applied only to a session that
    holds a signed-in user.

    Flask-Login treats any non-empty session without its identifier (such as one holding just
    the CSRF token of a page viewed before signing in, or after signing out) as tampered with,
    and then never asks the request loader: a valid bearer token sent with such a cookie was
    refused with 401.
    """

    def _session_protection_failed(self):
        if "_user_id" not in session:
            return False  # nobody signed in through this session: nothing to protect
        return super()._session_protection_failed()


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
api = PathwayApi()
login_manager = PathwayLoginManager()
csrf = CSRFProtect()
