"""cmi5: launch sessions, fetch tokens and satisfied blocks and courses

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 14:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cmi5_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.String(length=36), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=False),
    sa.Column('registration', sa.String(length=36), nullable=False),
    sa.Column('actor', sa.JSON(), nullable=False),
    sa.Column('au_id', sa.Text(), nullable=False),
    sa.Column('au_index', sa.Integer(), nullable=False),
    sa.Column('launch_mode', sa.String(length=10), nullable=False),
    sa.Column('move_on', sa.String(length=30), nullable=False),
    sa.Column('mastery_score', sa.Float(), nullable=True),
    sa.Column('fetch_token_hash', sa.String(length=64), nullable=True),
    sa.Column('fetch_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('client_key', sa.String(length=64), nullable=True),
    sa.Column('launched_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('initialized_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('passed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('terminated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('abandoned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('waived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_statement_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('seconds', sa.Float(), nullable=False),
    sa.CheckConstraint("launch_mode IN ('Normal', 'Browse', 'Review')", name=op.f('ck_cmi5_sessions_known_launch_mode')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_cmi5_sessions_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_cmi5_sessions_enrolment_id_enrolments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['package_id'], ['content_packages.id'], name=op.f('fk_cmi5_sessions_package_id_content_packages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cmi5_sessions')),
    sa.UniqueConstraint('fetch_token_hash', name=op.f('uq_cmi5_sessions_fetch_token_hash')),
    sa.UniqueConstraint('session_id', name=op.f('uq_cmi5_sessions_session_id'))
    )
    with op.batch_alter_table('cmi5_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cmi5_sessions_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cmi5_sessions_client_key'), ['client_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_cmi5_sessions_enrolment_id'), ['enrolment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cmi5_sessions_package_id'), ['package_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cmi5_sessions_registration'), ['registration'], unique=False)

    op.create_table('cmi5_satisfied',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration', sa.String(length=36), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('object_iri', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('satisfied_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('statement_id', sa.String(length=36), nullable=True),
    sa.CheckConstraint("kind IN ('au', 'block', 'course')", name=op.f('ck_cmi5_satisfied_known_kind')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_cmi5_satisfied_activity_id_activities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cmi5_satisfied')),
    sa.UniqueConstraint('registration', 'object_iri', name=op.f('uq_cmi5_satisfied_registration_object_iri'))
    )
    with op.batch_alter_table('cmi5_satisfied', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cmi5_satisfied_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cmi5_satisfied_registration'), ['registration'], unique=False)


def downgrade():
    with op.batch_alter_table('cmi5_satisfied', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cmi5_satisfied_registration'))
        batch_op.drop_index(batch_op.f('ix_cmi5_satisfied_activity_id'))

    op.drop_table('cmi5_satisfied')
    with op.batch_alter_table('cmi5_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cmi5_sessions_registration'))
        batch_op.drop_index(batch_op.f('ix_cmi5_sessions_package_id'))
        batch_op.drop_index(batch_op.f('ix_cmi5_sessions_enrolment_id'))
        batch_op.drop_index(batch_op.f('ix_cmi5_sessions_client_key'))
        batch_op.drop_index(batch_op.f('ix_cmi5_sessions_activity_id'))

    op.drop_table('cmi5_sessions')
