"""Default settings. Each can be overridden in `instance/config.py` or by an `LMS_`-prefixed
environment variable (`LMS_DATABASE_URL`, `LMS_BASE_URL`, ...), in that order."""

from datetime import timedelta


class Defaults:
    """Settings every installation starts from."""

    # Database: None means SQLite in the instance folder.
    DATABASE_URL = None
    SQLITE_BUSY_TIMEOUT_MS = 10_000
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # The site's public base URL; the xAPI actor's account homePage and activity IRIs use it.
    BASE_URL = "http://localhost:8000"

    # Sessions and CSRF for the web pages (SESSION_COOKIE_SECURE follows BASE_URL's scheme
    # unless set).
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead

    # Personal API tokens.
    API_TOKEN_DEFAULT_DAYS = 90
    API_TOKEN_MAX_DAYS = 366

    # JSON API and its OpenAPI document.
    API_TITLE = "Pathway API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.1.0"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    API_PAGE_DEFAULT = 50
    API_PAGE_MAX = 500

    # Launch credentials given to content in a learner's browser last this long (minutes).
    LAUNCH_CREDENTIALS_MINUTES = 240
    # A cmi5 AU session with nothing from it for this long is abandoned by the scheduler.
    CMI5_SESSION_TIMEOUT_MINUTES = 120

    # Uploads (evidence, content packages).
    MAX_CONTENT_LENGTH = 64 * 1024 * 1024

    # Content packages (see lms.content.safe_zip): at most this many zip entries and
    # uncompressed bytes; an entry over 1 MiB (or the whole zip) compressed more than
    # PACKAGE_MAX_RATIO to 1 is refused as a likely zip bomb.
    PACKAGE_MAX_FILES = 5000
    PACKAGE_MAX_BYTES = 500 * 1024 * 1024
    PACKAGE_MAX_RATIO = 100

    # Practice assessment evidence (see lms.assessment.evidence): limits per file and per
    # submission, the file types taken (checked by extension and by content), and the working
    # days after a "not yet met" decision by which a resubmission is due.
    EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
    EVIDENCE_MAX_FILES = 10
    EVIDENCE_MAX_TOTAL_BYTES = 60 * 1024 * 1024
    EVIDENCE_TYPES = ["pdf", "doc", "docx", "odt", "xls", "xlsx", "ods", "csv", "ppt", "pptx",
                      "odp", "txt", "png", "jpg", "jpeg"]
    RESUBMISSION_WORKING_DAYS = 15

    # The single scheduler process writes a heartbeat this often (seconds).
    SCHEDULER_HEARTBEAT_SECONDS = 30
    # Network calls made by scheduled jobs give up after this many seconds.
    SCHEDULER_NETWORK_TIMEOUT = 30

    # Tutorials (lms.tutorials): learners change or cancel up to this many hours before a
    # tutorial; individual slots are offered from this many hours ahead; how many future
    # individual tutorials a learner may hold, and how many per unit in all; slot length and
    # the gap after each, until a tutor sets their own.
    TUTORIAL_CHANGE_CUTOFF_HOURS = 24
    TUTORIAL_BOOKING_NOTICE_HOURS = 12
    TUTORIAL_INDIVIDUAL_FUTURE_CAP = 2
    TUTORIAL_INDIVIDUAL_PER_UNIT = 2
    TUTORIAL_SLOT_MINUTES = 60
    TUTORIAL_BUFFER_MINUTES = 15
    TUTORIAL_REMINDER_SYNC_SECONDS = 30

    # E-mail for the notification outbox (lms.notifications.sending): SMTP_HOST None means
    # not configured (messages are kept, readable through the API, and sent once it is set).
    SMTP_HOST = None
    SMTP_PORT = 587
    SMTP_USERNAME = None
    SMTP_PASSWORD = None
    SMTP_STARTTLS = True
    MAIL_FROM = "Pathway <no-reply@localhost>"

    # Days before the end of a learner's window when the learner and their tutor are reminded.
    WINDOW_REMINDER_DAYS = (90, 30)

    # The seller printed on invoices (lms.invoicing.documents): name, postal address lines
    # and VAT registration number. Placeholders: set your own in instance/config.py.
    INVOICE_SELLER = {
        "name": "Pathway",
        "address": ["1 Example Street", "Example Town", "AB1 2CD", "United Kingdom"],
        "vat_number": "GB 000 0000 00",
        "email": "accounts@example.org",
    }

    # The xAPI LRS (xapi/): statements per page, forwarding to upstream LRSs.
    XAPI_STATEMENTS_PAGE_MAX = 200
    XAPI_FORWARD_SECONDS = 15
