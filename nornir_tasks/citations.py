"""Legal and operator instruments cited structurally: kind, number, date, issuer, article or section, URL.

Plans (``inventory/plans/*.yaml``, key ``instrument:``) and baseline rules (``inventory/baselines/*.yaml``, key
``cites:``) name the instrument their numbers and rules come from with a :class:`Citation`; reports show it in the
form Vietnamese documents use, e.g. ``Quyết định số 38/QĐ-BTTTT ngày 14/01/2021 của Bộ Thông tin và Truyền thông``
(:meth:`Citation.vi`). A field that has not been checked against the official text is left out rather than
guessed (``verified: false`` says so).
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from nornir_tasks.model import SafeStr


class InstrumentKind(str, Enum):
    """What kind of document an instrument is (stored by value)."""

    LAW = "law"                  # Luật (Quốc hội)
    DECREE = "decree"            # Nghị định (Chính phủ)
    DECISION = "decision"        # Quyết định (Thủ tướng, Bộ trưởng, ...)
    CIRCULAR = "circular"        # Thông tư (Bộ)
    DIRECTIVE = "directive"      # Chỉ thị
    STANDARD = "standard"        # Tiêu chuẩn quốc gia (TCVN)
    PROGRAMME = "programme"      # an operator's programme without a published decision number
    REGULATION = "regulation"    # a province's or agency's own operating rules (quy chế)
    OTHER = "other"


KIND_VI: dict[InstrumentKind, str] = {
    InstrumentKind.LAW: "Luật",
    InstrumentKind.DECREE: "Nghị định",
    InstrumentKind.DECISION: "Quyết định",
    InstrumentKind.CIRCULAR: "Thông tư",
    InstrumentKind.DIRECTIVE: "Chỉ thị",
    InstrumentKind.STANDARD: "Tiêu chuẩn quốc gia",
    InstrumentKind.PROGRAMME: "Chương trình",
    InstrumentKind.REGULATION: "Quy chế",
    InstrumentKind.OTHER: "Văn bản",
}

_NUMBERED = {InstrumentKind.LAW, InstrumentKind.DECREE, InstrumentKind.DECISION, InstrumentKind.CIRCULAR,
             InstrumentKind.DIRECTIVE}


class Citation(BaseModel):
    """One instrument (and, optionally, the article or section cited)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: InstrumentKind | None = None
    number: SafeStr                                   # "38/QĐ-BTTTT", "85/2016/NĐ-CP", "TCVN 11930:2017"
    date: dt.date | None = None                       # date of issue
    issuer: SafeStr | None = None                     # "Bộ Thông tin và Truyền thông", "Thủ tướng Chính phủ"
    title: SafeStr | None = None                      # what it is about (for a law: its name)
    article: SafeStr | None = None                    # "Điều 4, khoản 2", "Mục II.1" — only when checked
    url: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = None
    verified: bool = True                             # False: a field is taken from a secondary source
    note: SafeStr | None = None

    def vi(self) -> str:
        """The citation as Vietnamese documents write it.

        Examples:
            >>> Citation(kind="decision", number="38/QĐ-BTTTT", date="2021-01-14",
            ...          issuer="Bộ Thông tin và Truyền thông").vi()
            'Quyết định số 38/QĐ-BTTTT ngày 14/01/2021 của Bộ Thông tin và Truyền thông'
            >>> Citation(kind="law", title="Bảo vệ bí mật nhà nước", number="29/2018/QH14", date="2018-11-15",
            ...          issuer="Quốc hội", article="Điều 10").vi()
            'Luật Bảo vệ bí mật nhà nước số 29/2018/QH14 ngày 15/11/2018 của Quốc hội, Điều 10'
            >>> Citation(kind="standard", number="TCVN 11930:2017").vi()
            'Tiêu chuẩn quốc gia TCVN 11930:2017'
            >>> Citation(number="1/2025").vi()
            '1/2025'
        """
        parts: list[str] = []
        if self.kind is not None:
            head = KIND_VI[self.kind]
            if self.kind is InstrumentKind.LAW and self.title:
                head += f" {self.title}"
            parts.append(head)
        parts.append(f"số {self.number}" if self.kind in _NUMBERED else self.number)
        if self.date is not None:
            parts.append(f"ngày {self.date.strftime('%d/%m/%Y')}")
        if self.issuer:
            parts.append(f"của {self.issuer}")
        text = " ".join(parts)
        return f"{text}, {self.article}" if self.article else text


def cite_all(citations: tuple[Citation, ...] | list[Citation], fallback: str = "") -> str:
    """Several citations in one line (``; ``-separated), or ``fallback`` when there are none.

    Examples:
        >>> cite_all([Citation(kind="decree", number="85/2016/NĐ-CP", date="2016-07-01", issuer="Chính phủ"),
        ...           Citation(kind="standard", number="TCVN 11930:2017")])
        'Nghị định số 85/2016/NĐ-CP ngày 01/07/2016 của Chính phủ; Tiêu chuẩn quốc gia TCVN 11930:2017'
        >>> cite_all([], "QĐ 33/2025")
        'QĐ 33/2025'
    """
    return "; ".join(c.vi() for c in citations) or fallback
