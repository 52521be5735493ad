"""The census knowledge base's content: categories, source reading and the sync state (no I/O
to DingTalk).

A knowledge base has three categories (指标解释, 软件操作手册, 问题解答). Markdown documents come
from a folder whose first level names the category; FAQ entries (JSONL or .xlsx) go under
问题解答, one folder per FAQ category. :class:`KbState` remembers the content digest of each
document written, so a re-import writes only what changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import attrs

from censusdt._errors import FieldError, ValidationError
from censusdt.census.faq import FaqEntry, parse_faq_jsonl

__all__ = [
    "CATEGORIES",
    "DEFAULT_KB_NAME",
    "FAQ_CATEGORY",
    "KbDocument",
    "KbState",
    "faq_documents",
    "read_faq_file",
    "read_source",
]

INDICATORS = "指标解释"
MANUALS = "软件操作手册"
FAQ_CATEGORY = "问题解答"
#: The knowledge base's top-level folders.
CATEGORIES = (INDICATORS, MANUALS, FAQ_CATEGORY)
DEFAULT_KB_NAME = "人口普查知识库"
#: FAQ entries without a category go in this folder.
_UNCATEGORISED = "其他"
#: Header names accepted in a FAQ workbook, by field.
_XLSX_HEADERS = {
    "id": ("id", "编号"),
    "category": ("category", "分类", "类别"),
    "question": ("question", "问题"),
    "answer": ("answer", "答案", "解答"),
}


@attrs.frozen
class KbDocument:
    """One document to have in the knowledge base: where it goes, its name and its Markdown.

    ``key`` identifies it across imports (the file path, or ``faq:<id>``) so a renamed question
    replaces its old document instead of leaving it behind.
    """

    key: str
    folders: tuple[str, ...]
    name: str
    markdown: str

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.markdown.encode("utf-8")).hexdigest()

    @property
    def path(self) -> tuple[str, ...]:
        return (*self.folders, self.name)


def faq_documents(entries: Iterable[FaqEntry]) -> list[KbDocument]:
    """One document per FAQ entry under 问题解答/<category>, named after its question."""
    documents = []
    for entry in entries:
        category = entry.category.strip() or _UNCATEGORISED
        lines = [f"# {entry.question}", "", entry.answer.strip()]
        if entry.phrasings:
            lines += ["", "其他问法：" + "；".join(entry.phrasings)]
        lines += ["", f"编号：{entry.id}"]
        documents.append(
            KbDocument(
                key=f"faq:{entry.id}",
                folders=(FAQ_CATEGORY, category),
                name=_document_name(entry.question),
                markdown="\n".join(lines) + "\n",
            )
        )
    return documents


def _document_name(question: str) -> str:
    # Names are single lines; "/" would read as a folder separator in the path shown to people.
    return " ".join(question.split()).replace("/", "／")


def read_faq_file(path: Path) -> list[FaqEntry]:
    """Read FAQ entries from a .jsonl file or an .xlsx workbook (first sheet, header row)."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return parse_faq_jsonl(path.read_text(encoding="utf-8"), source=str(path))
    if suffix == ".xlsx":
        return _read_faq_xlsx(path)
    raise ValidationError([FieldError("path", str(path), "a FAQ file must be .jsonl or .xlsx")])


def _read_faq_xlsx(path: Path) -> list[FaqEntry]:
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()
    if not rows:
        raise ValidationError(
            [FieldError("path", str(path), "the workbook's first sheet is empty")]
        )
    header = [str(cell or "").strip().lower() for cell in rows[0]]
    columns: dict[str, int] = {}
    for field, names in _XLSX_HEADERS.items():
        for index, title in enumerate(header):
            if title in names:
                columns[field] = index
                break
    missing = [field for field in ("id", "question", "answer") if field not in columns]
    if missing:
        raise ValidationError(
            [
                FieldError(
                    "header",
                    [str(cell) for cell in rows[0]],
                    f"missing column(s) {missing}; name them {[_XLSX_HEADERS[f] for f in missing]}",
                )
            ]
        )
    records = []
    for row in rows[1:]:
        cells = ["" if cell is None else str(cell).strip() for cell in row]
        if not any(cells):
            continue
        record = {
            field: cells[index] if index < len(cells) else "" for field, index in columns.items()
        }
        records.append(json.dumps(record, ensure_ascii=False))
    return parse_faq_jsonl("\n".join(records), source=str(path))


def read_source(path: Path) -> list[KbDocument]:
    """Read a Markdown folder (with FAQ files in it, if any) or a single FAQ file.

    In a folder, each ``.md`` file must sit under a category folder (``指标解释/``,
    ``软件操作手册/`` or ``问题解答/``); deeper folders are kept. ``.jsonl`` and ``.xlsx`` files
    anywhere in it are FAQ files. Raises ValidationError naming every misplaced file.
    """
    if not path.exists():
        raise ValidationError([FieldError("path", str(path), "not found")])
    if path.is_file():
        if path.suffix.lower() == ".md":
            raise ValidationError(
                [
                    FieldError(
                        "path",
                        str(path),
                        "a single Markdown file has no category; import its folder, with the "
                        f"file under one of {list(CATEGORIES)}",
                    )
                ]
            )
        return faq_documents(read_faq_file(path))

    documents: list[KbDocument] = []
    errors: list[FieldError] = []
    for file in sorted(path.rglob("*")):
        if not file.is_file() or any(part.startswith(".") for part in file.relative_to(path).parts):
            continue
        suffix = file.suffix.lower()
        relative = file.relative_to(path)
        if suffix in (".jsonl", ".xlsx"):
            documents.extend(faq_documents(read_faq_file(file)))
        elif suffix == ".md":
            folders = relative.parts[:-1]
            if not folders or folders[0] not in CATEGORIES:
                errors.append(
                    FieldError(
                        "path",
                        str(relative),
                        f"move it into a category folder: one of {list(CATEGORIES)}",
                    )
                )
                continue
            documents.append(
                KbDocument(
                    key=relative.as_posix(),
                    folders=tuple(folders),
                    name=file.stem,
                    markdown=file.read_text(encoding="utf-8"),
                )
            )
    if errors:
        raise ValidationError(errors)
    _check_unique(documents)
    return documents


def _check_unique(documents: Sequence[KbDocument]) -> None:
    seen: dict[tuple[str, ...], str] = {}
    errors = []
    for document in documents:
        other = seen.get(document.path)
        if other is not None:
            errors.append(
                FieldError(
                    "name",
                    "/".join(document.path),
                    f"{document.key} and {other} would have the same place; rename one",
                )
            )
        seen[document.path] = document.key
    if errors:
        raise ValidationError(errors)


@attrs.define
class KbRecord:
    """Record of what the last import wrote for one document."""

    node_id: str
    doc_key: str
    name: str
    digest: str


@attrs.define
class KbState:
    """The sync state of one knowledge base, kept as JSON next to the source by the CLI."""

    workspace_id: str | None = None
    documents: dict[str, KbRecord] = attrs.field(factory=dict)

    @classmethod
    def load(cls, path: Path) -> KbState:
        """Read the state, or return an empty one when ``path`` does not exist."""
        if not path.exists():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            workspace_id=data.get("workspaceId"),
            documents={
                key: KbRecord(
                    str(value["nodeId"]),
                    str(value["docKey"]),
                    str(value["name"]),
                    str(value["digest"]),
                )
                for key, value in (data.get("documents") or {}).items()
            },
        )

    def save(self, path: Path) -> None:
        data = {
            "workspaceId": self.workspace_id,
            "documents": {
                key: {
                    "nodeId": record.node_id,
                    "docKey": record.doc_key,
                    "name": record.name,
                    "digest": record.digest,
                }
                for key, record in sorted(self.documents.items())
            },
        }
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
