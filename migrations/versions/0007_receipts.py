"""Oversight: read receipts of report documents (who in a unit has read its bulletin).

Revision ID: 0007_receipts
Revises: 0006_monitoring
Create Date: 2026-11-23 16:04:05

"""
import sqlalchemy as sa
from alembic import op

import procuracy.orm  # noqa: F401 (column types)
from procuracy import rls

# revision identifiers, used by Alembic.
revision = '0007_receipts'
down_revision = '0006_monitoring'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('read_receipts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('first_read_at', procuracy.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['report_documents.id'], name=op.f('fk_read_receipts_document_id_report_documents')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_read_receipts_unit_id_units')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_read_receipts_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_read_receipts')),
    sa.UniqueConstraint('document_id', 'user_id', name=op.f('uq_read_receipts_document_id_user_id'))
    )
    with op.batch_alter_table('read_receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_read_receipts_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_read_receipts_user_id'), ['user_id'], unique=False)

    rls.apply(op, {"read_receipts": "unit"})


def downgrade():
    with op.batch_alter_table('read_receipts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_read_receipts_user_id'))
        batch_op.drop_index(batch_op.f('ix_read_receipts_unit_id'))

    op.drop_table('read_receipts')
