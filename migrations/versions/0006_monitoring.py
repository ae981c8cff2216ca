"""Oversight: process monitoring rules, alerts and monitoring notices (流程监控通知书).

Revision ID: 0006_monitoring
Revises: 0005_ledger
Create Date: 2026-11-23 13:30:00

"""
from alembic import op
import sqlalchemy as sa
import procuracy.orm  # noqa: F401 (column types)
from procuracy import rls  # noqa: F401 (RLS policies: rls.apply(op, {...}))


# revision identifiers, used by Alembic.
revision = '0006_monitoring'
down_revision = '0005_ledger'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('monitoring_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('severity', sa.String(length=8), nullable=False),
    sa.Column('step', sa.String(length=8), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('limits', sa.JSON(), nullable=False),
    sa.Column('based_on_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('created_at', procuracy.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', procuracy.orm.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['based_on_id'], ['monitoring_rules.id'], name=op.f('fk_monitoring_rules_based_on_id_monitoring_rules')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_monitoring_rules_unit_id_units')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_monitoring_rules_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitoring_rules')),
    sa.UniqueConstraint('unit_id', 'code', name=op.f('uq_monitoring_rules_unit_id_code'))
    )
    with op.batch_alter_table('monitoring_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitoring_rules_unit_id'), ['unit_id'], unique=False)

    op.create_table('monitoring_alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=24), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('rule_code', sa.String(length=40), nullable=False),
    sa.Column('rule_kind', sa.String(length=24), nullable=False),
    sa.Column('subject', sa.String(length=64), nullable=False),
    sa.Column('severity', sa.String(length=8), nullable=False),
    sa.Column('step', sa.String(length=8), nullable=False),
    sa.Column('handler_id', sa.Integer(), nullable=True),
    sa.Column('message', sa.String(length=300), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('opened_at', procuracy.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', procuracy.orm.UTCDateTime(timezone=True), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_monitoring_alerts_case_id_cases')),
    sa.ForeignKeyConstraint(['handler_id'], ['users.id'], name=op.f('fk_monitoring_alerts_handler_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_monitoring_alerts_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitoring_alerts')),
    sa.UniqueConstraint('public_id', name=op.f('uq_monitoring_alerts_public_id'))
    )
    with op.batch_alter_table('monitoring_alerts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitoring_alerts_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_monitoring_alerts_handler_status', ['handler_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_monitoring_alerts_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index('ix_monitoring_alerts_unit_status', ['unit_id', 'status'], unique=False)
        batch_op.create_index('uq_monitoring_alerts_open_key', ['rule_code', 'case_id', 'subject'], unique=True, sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))

    op.create_table('monitoring_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=24), nullable=False),
    sa.Column('reviewed_unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('alert_id', sa.Integer(), nullable=True),
    sa.Column('rule_code', sa.String(length=40), nullable=False),
    sa.Column('problem', sa.Text(), nullable=False),
    sa.Column('severity', sa.String(length=8), nullable=False),
    sa.Column('handler_id', sa.Integer(), nullable=True),
    sa.Column('issued_by_id', sa.Integer(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('escalated_on', sa.Date(), nullable=True),
    sa.Column('escalated_to_id', sa.Integer(), nullable=True),
    sa.Column('escalation_reason', sa.Text(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('close_note', sa.Text(), nullable=False),
    sa.Column('ledger_ref', sa.String(length=64), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('created_at', procuracy.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', procuracy.orm.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['alert_id'], ['monitoring_alerts.id'], name=op.f('fk_monitoring_notices_alert_id_monitoring_alerts')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_monitoring_notices_case_id_cases')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_monitoring_notices_closed_by_id_users')),
    sa.ForeignKeyConstraint(['escalated_to_id'], ['users.id'], name=op.f('fk_monitoring_notices_escalated_to_id_users')),
    sa.ForeignKeyConstraint(['handler_id'], ['users.id'], name=op.f('fk_monitoring_notices_handler_id_users')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_monitoring_notices_issued_by_id_users')),
    sa.ForeignKeyConstraint(['reviewed_unit_id'], ['units.id'], name=op.f('fk_monitoring_notices_reviewed_unit_id_units')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_monitoring_notices_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitoring_notices')),
    sa.UniqueConstraint('public_id', name=op.f('uq_monitoring_notices_public_id')),
    sa.UniqueConstraint('unit_id', 'year', 'seq', name=op.f('uq_monitoring_notices_unit_id_year_seq'))
    )
    with op.batch_alter_table('monitoring_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitoring_notices_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_monitoring_notices_escalated_to_id'), ['escalated_to_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_monitoring_notices_handler_id'), ['handler_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_monitoring_notices_reviewed_unit_id'), ['reviewed_unit_id'], unique=False)
        batch_op.create_index('ix_monitoring_notices_status_deadline', ['status', 'deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_monitoring_notices_unit_id'), ['unit_id'], unique=False)

    op.create_table('monitoring_notice_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('answered_by_id', sa.Integer(), nullable=False),
    sa.Column('answered_at', procuracy.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('late', sa.Boolean(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_monitoring_notice_answers_answered_by_id_users')),
    sa.ForeignKeyConstraint(['notice_id'], ['monitoring_notices.id'], name=op.f('fk_monitoring_notice_answers_notice_id_monitoring_notices')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_monitoring_notice_answers_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitoring_notice_answers'))
    )
    with op.batch_alter_table('monitoring_notice_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitoring_notice_answers_notice_id'), ['notice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_monitoring_notice_answers_unit_id'), ['unit_id'], unique=False)

    rls.apply(
        op,
        {"monitoring_rules": "template", "monitoring_alerts": "via_case",
         "monitoring_notices": "review", "monitoring_notice_answers": "unit"},
    )


def downgrade():
    with op.batch_alter_table('monitoring_notice_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitoring_notice_answers_unit_id'))
        batch_op.drop_index(batch_op.f('ix_monitoring_notice_answers_notice_id'))

    op.drop_table('monitoring_notice_answers')
    with op.batch_alter_table('monitoring_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitoring_notices_unit_id'))
        batch_op.drop_index('ix_monitoring_notices_status_deadline')
        batch_op.drop_index(batch_op.f('ix_monitoring_notices_reviewed_unit_id'))
        batch_op.drop_index(batch_op.f('ix_monitoring_notices_handler_id'))
        batch_op.drop_index(batch_op.f('ix_monitoring_notices_escalated_to_id'))
        batch_op.drop_index(batch_op.f('ix_monitoring_notices_case_id'))

    op.drop_table('monitoring_notices')
    with op.batch_alter_table('monitoring_alerts', schema=None) as batch_op:
        batch_op.drop_index('uq_monitoring_alerts_open_key', sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))
        batch_op.drop_index('ix_monitoring_alerts_unit_status')
        batch_op.drop_index(batch_op.f('ix_monitoring_alerts_unit_id'))
        batch_op.drop_index('ix_monitoring_alerts_handler_status')
        batch_op.drop_index(batch_op.f('ix_monitoring_alerts_case_id'))

    op.drop_table('monitoring_alerts')
    with op.batch_alter_table('monitoring_rules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitoring_rules_unit_id'))

    op.drop_table('monitoring_rules')
