"""Oversight: process monitoring rules, alerts and monitoring notices (流程监控通知书).

Revision ID: 0006_monitoring
Revises: 0005_ledger
Create Date: 2026-11-23 13:30:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401
import procuracy.orm  # noqa: F401 (column types)
from procuracy import rls  # noqa: F401 (RLS policies: rls.apply(op, {...}))


# revision identifiers, used by Alembic.
revision = '0006_monitoring'
down_revision = '0005_ledger'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
