"""The WSGI application for gunicorn: `gunicorn lms.wsgi:app`."""

from lms import create_app

app = create_app()
