"""The open-data page (政府網站資料開放宣告): the site's statement, then every dataset with its fields, files, sizes,
update date and licence, and what the national open-data platform (data.gov.tw) asks to register it."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ...content.models import Corpus, Text
from .tables import DATASETS, LICENCE, LICENCE_URL


@dataclass(frozen=True)
class Registration:
    """What data.gov.tw asks of a dataset besides what the catalog says of it (名稱, 描述, 欄位, 更新頻率), as far as
    the content gives it; where it does not, None, and the page says that the content does not give it."""

    provider: Text
    """提供機關: the site's publisher."""
    licence: Text
    licence_url: str
    fee: Text
    """計費方式: the site's open-data statement says its data may be freely downloaded."""
    contact_name: str | None
    """聯絡人姓名: no content file names one."""
    contact_phone: str | None
    """聯絡人電話: the publisher's telephone number, site.yaml's ``phone``."""
    contact_email: str | None
    """聯絡人電子郵件: site.yaml's ``email``, where it has one."""


FREE = Text("免費", "Free of charge")


def registration(corpus: Corpus) -> Registration:
    """Return the platform's fields the content gives for every dataset."""
    site = corpus.site
    return Registration(site.publisher, LICENCE, LICENCE_URL, FREE, None, site.phone or None, site.email)


def add_open_data(add: Callable[..., None], corpus: Corpus) -> None:
    """Plan the open-data page of one language with ``add`` (``routes.plan_routes``'s), dated by its newest dataset.
    It lists the data files' sizes: its ``catalog`` is given once they are made (``files.with_catalog``)."""
    updated = max(dataset.updated(corpus) for dataset in DATASETS)
    add("open-data", "", max(updated, corpus.site.updated), statement=corpus.site.open_data,
        title_key="nav_open_data", catalog=None, registration=registration(corpus))
