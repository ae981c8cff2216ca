"""Power lists (权力清单): versioned, per unit, inheriting down the tree.

The province's list is the template: every item. A city's or district's list
holds only its differences: an item with a template code overrides it (where the
template marks it overridable), an item with a new code is local. A version is a
draft until published; published versions never change.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from procuracy.extensions import db
from procuracy.orm import Timestamped
from procuracy.ownership import UnitOwned


class PowerList(UnitOwned, Timestamped, db.Model):
    __tablename__ = "power_lists"
    __scope__ = "template"
    __table_args__ = (UniqueConstraint("unit_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int]
    effective_from: Mapped[date]
    status: Mapped[str] = mapped_column(String(12), default="draft")  # draft | published
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")

    items: Mapped[list[PowerItem]] = relationship(
        back_populates="power_list", cascade="all, delete-orphan", lazy="raise_on_sql",
        order_by="PowerItem.code",
    )

    @property
    def published(self) -> bool:
        return self.status == "published"


class PowerItem(UnitOwned, db.Model):
    __tablename__ = "power_items"
    __scope__ = "child"
    __scope_parent_key__ = "list_id"

    @staticmethod
    def __scope_parent__():
        return PowerList
    __table_args__ = (UniqueConstraint("list_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("power_lists.id"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(40))
    matter: Mapped[str] = mapped_column(String(120), index=True)
    decider_role: Mapped[str] = mapped_column(String(32))
    condition: Mapped[str] = mapped_column(String(32), default="")
    overridable: Mapped[bool] = mapped_column(default=True)
    note: Mapped[str] = mapped_column(Text, default="")

    power_list: Mapped[PowerList] = relationship(back_populates="items")


class PublishedVersionChanged(ValueError):
    """Something tried to change a published power-list version."""


@event.listens_for(PowerItem, "before_update")
@event.listens_for(PowerItem, "before_delete")
@event.listens_for(PowerItem, "before_insert")
def _items_of_published_lists_never_change(_mapper, connection, item: PowerItem) -> None:
    table = PowerList.__table__
    status = connection.execute(
        table.select().with_only_columns(table.c.status).where(table.c.id == item.list_id)
    ).scalar()
    if status == "published":
        raise PublishedVersionChanged(f"version {item.list_id} is published; start a new draft")


@event.listens_for(PowerList, "before_update")
def _published_lists_never_change(_mapper, _connection, power_list: PowerList) -> None:
    from sqlalchemy import inspect

    history = inspect(power_list).attrs.status.history
    was_published = "published" in (history.deleted or ()) or (
        not history.has_changes() and power_list.status == "published")
    if was_published:
        raise PublishedVersionChanged(f"version {power_list.version} is published")
