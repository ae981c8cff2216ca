"""Cases: an index on (unit_id, closed_on) for the "closed in a period" counts of scoring,
bulletins and review draws (docs/PERFORMANCE.md, finding F5: 1 s to 37 ms at 1M cases).

Revision ID: 0008_cases_closed_index
Revises: 0007_receipts
Create Date: 2026-11-23 17:50:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008_cases_closed_index'
down_revision = '0007_receipts'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_unit_closed', ['unit_id', 'closed_on'], unique=False)


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_unit_closed')
