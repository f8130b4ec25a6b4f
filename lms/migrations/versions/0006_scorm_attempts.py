"""SCORM attempts: the runtime data of each learner's attempt at each SCO

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 14:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('scorm_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=False),
    sa.Column('sco_identifier', sa.String(length=255), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('cmi', sa.JSON(), nullable=False),
    sa.Column('completion_status', sa.String(length=20), nullable=False),
    sa.Column('success_status', sa.String(length=20), nullable=False),
    sa.Column('score_scaled', sa.Float(), nullable=True),
    sa.Column('score_raw', sa.Float(), nullable=True),
    sa.Column('total_seconds', sa.Float(), nullable=False),
    sa.Column('location', sa.Text(), nullable=False),
    sa.Column('suspended', sa.Boolean(), nullable=False),
    sa.Column('entry_next', sa.String(length=10), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_sequence', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('session_mode', sa.String(length=10), nullable=False),
    sa.Column('session_started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('session_seconds', sa.Float(), nullable=False),
    sa.Column('session_initialized', sa.Boolean(), nullable=False),
    sa.Column('terminated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sessions', sa.Integer(), nullable=False),
    sa.CheckConstraint("completion_status IN ('completed', 'incomplete', 'not attempted', 'unknown', 'browsed')", name=op.f('ck_scorm_attempts_known_completion_status')),
    sa.CheckConstraint("entry_next IN ('ab-initio', 'resume', '')", name=op.f('ck_scorm_attempts_known_entry')),
    sa.CheckConstraint("session_mode IN ('normal', 'review', 'browse')", name=op.f('ck_scorm_attempts_known_session_mode')),
    sa.CheckConstraint("success_status IN ('passed', 'failed', 'unknown')", name=op.f('ck_scorm_attempts_known_success_status')),
    sa.CheckConstraint('number >= 1', name=op.f('ck_scorm_attempts_number_from_1')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_scorm_attempts_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_scorm_attempts_enrolment_id_enrolments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['package_id'], ['content_packages.id'], name=op.f('fk_scorm_attempts_package_id_content_packages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scorm_attempts')),
    sa.UniqueConstraint('enrolment_id', 'activity_id', 'sco_identifier', 'number', name=op.f('uq_scorm_attempts_attempt_number')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_scorm_attempts_token_hash'))
    )
    with op.batch_alter_table('scorm_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scorm_attempts_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scorm_attempts_enrolment_id'), ['enrolment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scorm_attempts_package_id'), ['package_id'], unique=False)


def downgrade():
    with op.batch_alter_table('scorm_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scorm_attempts_package_id'))
        batch_op.drop_index(batch_op.f('ix_scorm_attempts_enrolment_id'))
        batch_op.drop_index(batch_op.f('ix_scorm_attempts_activity_id'))

    op.drop_table('scorm_attempts')
