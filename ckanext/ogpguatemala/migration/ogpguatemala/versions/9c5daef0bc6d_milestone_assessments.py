"""milestone assessments

The table of the assessments sysadmins record per milestone
(``observatory.assessments.MilestoneAssessment``).

Revision ID: 9c5daef0bc6d
Revises:
Create Date: 2026-11-21 20:11:33.387713

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9c5daef0bc6d'
down_revision = None
branch_labels = None
depends_on = None

TABLE = "ogp_milestone_assessment"


def upgrade():
    op.create_table(
        TABLE,
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("milestone", sa.UnicodeText, nullable=False),
        sa.Column("value", sa.UnicodeText, nullable=False),
        sa.Column("assessed_on", sa.Date, nullable=False),
        sa.Column("note", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("evidence_url", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("author_id", sa.UnicodeText, nullable=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.text("now()")),
    )
    op.create_index("ix_%s_milestone" % TABLE, TABLE, ["milestone"])


def downgrade():
    op.drop_index("ix_%s_milestone" % TABLE, table_name=TABLE)
    op.drop_table(TABLE)
