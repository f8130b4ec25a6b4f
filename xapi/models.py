"""The LRS's tables (SQLAlchemy Core, on the LRS's own `metadata`).

Statements keep the full statement as JSON text (returned as stored, never rebuilt) plus an
index table with one row per thing a query can filter on, so every filter is an index range
scan in stored order.
"""

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

SEQ = BigInteger().with_variant(Integer, "sqlite")  # SQLite: an alias of the rowid
UTC_TIME = DateTime(timezone=True)

statements = Table(
    "xapi_statements", metadata,
    Column("seq", SEQ, primary_key=True, autoincrement=True,
           doc="Order of storing; stored times rise with it."),
    Column("id", String(36), nullable=False, unique=True, doc="Lower-case statement id."),
    Column("stored", UTC_TIME, nullable=False),
    Column("voided", Boolean, nullable=False, default=False),
    Column("voiding_target", String(36), doc="The id this statement voids, if it is a voiding."),
    Column("authority_key", Text, doc="Who stored it (for the statements/read/mine scope)."),
    Column("has_attachments", Boolean, nullable=False, default=False),
    Column("statement", Text, nullable=False, doc="The statement as stored, in JSON."),
)

# Everything a query can filter on, once each, numbered: kind 'v' verb id, 'r' registration,
# 'a' agent (its inverse functional identifier), 'c' activity id.
filter_keys = Table(
    "xapi_filter_keys", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(1), nullable=False),
    Column("key", Text, nullable=False),
    UniqueConstraint("kind", "key"),
)

# One row per (filter key, statement). direct: the agent is the actor or object (or a member
# of one), the activity is the object; otherwise the key is only "related".
statement_index = Table(
    "xapi_statement_index", metadata,
    Column("key_id", Integer, primary_key=True),
    Column("seq", SEQ, primary_key=True),
    Column("direct", Boolean, nullable=False),
    sqlite_with_rowid=False,
)

activities = Table(
    "xapi_activities", metadata,
    Column("activity_id", Text, primary_key=True),
    Column("definition", JSON, nullable=False),
    Column("updated", UTC_TIME, nullable=False),
)

documents = Table(
    "xapi_documents", metadata,
    Column("id", SEQ, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False, doc="state, activity_profile or agent_profile"),
    Column("activity_id", Text, nullable=False, default=""),
    Column("agent_key", Text, nullable=False, default=""),
    Column("registration", String(36), nullable=False, default=""),
    Column("document_id", Text, nullable=False),
    Column("content_type", String(255), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("etag", String(64), nullable=False),
    Column("updated", UTC_TIME, nullable=False),
    UniqueConstraint("kind", "activity_id", "agent_key", "registration", "document_id"),
)

attachments = Table(
    "xapi_attachments", metadata,
    Column("sha2", String(128), primary_key=True),
    Column("content_type", String(255), nullable=False),
    Column("length", BigInteger, nullable=False),
    Column("content", LargeBinary, nullable=False),
)

clients = Table(
    "xapi_clients", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(64), nullable=False, unique=True),
    Column("secret_hash", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("scopes", JSON, nullable=False),
    Column("authority", JSON, nullable=False, doc="The Agent recorded as authority."),
    Column("actor", JSON(none_as_null=True),
           doc="Launch credentials: the only actor they may write and read."),
    Column("registration", String(36), doc="Launch credentials: their registration."),
    Column("created_at", UTC_TIME, nullable=False),
    Column("expires_at", UTC_TIME),
    Column("revoked_at", UTC_TIME),
)

forward_targets = Table(
    "xapi_forward_targets", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("endpoint", Text, nullable=False, doc="The upstream LRS's xAPI base URL."),
    Column("username", Text, nullable=False, default=""),
    Column("password", Text, nullable=False, default="",
           doc="The upstream's credentials: kept as given, since they must be sent."),
    Column("filter", JSON, nullable=False, doc='{"verbs": [...], "activity_prefix": "..."}'),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", UTC_TIME, nullable=False),
)

# The durable outbox: a row per (target, statement) to send, written in the transaction that
# stores the statement, so nothing stored is ever left unforwarded.
outbox = Table(
    "xapi_outbox", metadata,
    Column("id", SEQ, primary_key=True, autoincrement=True),
    Column("target_id", Integer, nullable=False),
    Column("seq", SEQ, nullable=False, doc="The statement to send."),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UTC_TIME, nullable=False),
    Column("last_error", Text),
    Column("sent_at", UTC_TIME),
    Column("refused_at", UTC_TIME, doc="The upstream refused this statement itself (a 4xx "
                                       "for it alone): kept, shown, retried only on request."),
)
Index("ix_xapi_outbox_pending", outbox.c.target_id, outbox.c.sent_at, outbox.c.next_attempt_at)

Index("ix_xapi_statements_stored", statements.c.stored, statements.c.seq)
# Only voiding statements have a target: a small partial index.
Index("ix_xapi_statements_voiding_target", statements.c.voiding_target,
      sqlite_where=statements.c.voiding_target.is_not(None),
      postgresql_where=statements.c.voiding_target.is_not(None))
Index("ix_xapi_documents_listing", documents.c.kind, documents.c.activity_id,
      documents.c.agent_key, documents.c.registration)
