"""Oversight: the problem ledger (entries, answers, verifications) and inspections (plans, targets, team, findings).

Revision ID: 0005_ledger
Revises: 0004_appraisal
Create Date: 2026-11-23 13:30:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401
import procuracy.orm  # noqa: F401 (column types)
from procuracy import rls  # noqa: F401 (RLS policies: rls.apply(op, {...}))


# revision identifiers, used by Alembic.
revision = '0005_ledger'
down_revision = '0004_appraisal'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
