"""Build and sync the census knowledge base on DingTalk from Markdown and FAQ documents."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

from censusdt.api.docs import WorkspaceMember
from censusdt.api.wiki import WikiNode, WikiWorkspace
from censusdt.census.kb import CATEGORIES, DEFAULT_KB_NAME, KbDocument, KbRecord, KbState

if TYPE_CHECKING:
    from censusdt._async.client import AsyncDingTalk

__all__ = ["KbImportResult", "import_knowledge_base"]

#: The root department: every member of the corp.
_ALL_STAFF_DEPT = "1"


@attrs.define
class KbImportResult:
    """Outcome of one import; ``writes`` counts every call that changed DingTalk."""

    workspace_id: str
    root_node_id: str
    workspace_created: bool = False
    folders_created: list[str] = attrs.field(factory=list)
    created: list[str] = attrs.field(factory=list)
    updated: list[str] = attrs.field(factory=list)
    unchanged: list[str] = attrs.field(factory=list)
    #: Documents in the knowledge base that no source names; left as they are.
    extra: list[str] = attrs.field(factory=list)
    writes: int = 0


async def _tree(
    client: AsyncDingTalk, parent_node_id: str, operator_id: str, prefix: tuple[str, ...] = ()
) -> dict[tuple[str, ...], WikiNode]:
    """Every node under ``parent_node_id`` by its path of names."""
    found: dict[tuple[str, ...], WikiNode] = {}
    async for node in client.wiki.list_nodes(parent_node_id, operator_id=operator_id):
        path = (*prefix, node.name)
        found[path] = node
        if node.is_folder and node.has_children:
            found.update(await _tree(client, node.node_id, operator_id, path))
    return found


async def _open_workspace(
    client: AsyncDingTalk,
    state: KbState,
    *,
    operator_id: str,
    name: str,
    description: str,
    readers_dept_id: str | None,
) -> tuple[WikiWorkspace, int]:
    """Find the state's workspace, or one called ``name``, or create it; return it and writes."""
    if state.workspace_id:
        async for candidate in client.wiki.list_workspaces(operator_id=operator_id):
            if candidate.workspace_id == state.workspace_id:
                return candidate, 0
    found = await client.wiki.find_workspace(name, operator_id=operator_id)
    if found is not None:
        return found, 0
    workspace = await client.wiki.create_workspace(
        name, operator_id=operator_id, description=description
    )
    if readers_dept_id is None:
        return workspace, 1
    await client.docs.add_members(
        workspace.workspace_id,
        [WorkspaceMember(readers_dept_id, "DEPT", "ONLY_VIEWER")],
        operator_id=operator_id,
    )
    return workspace, 2


class _Sync:
    """One import's walk over the documents, counting writes into ``result``."""

    def __init__(
        self,
        client: AsyncDingTalk,
        workspace: WikiWorkspace,
        *,
        operator_id: str,
        state: KbState,
        existing: dict[tuple[str, ...], WikiNode],
        result: KbImportResult,
    ) -> None:
        self.client = client
        self.workspace_id = workspace.workspace_id
        self.operator_id = operator_id
        self.state = state
        self.existing = existing
        self.result = result
        self.folder_ids = {path: node.node_id for path, node in existing.items() if node.is_folder}

    async def folder(self, path: tuple[str, ...]) -> str | None:
        """The node id of folder ``path``, creating it and its parents when missing."""
        if not path:
            return None
        if path in self.folder_ids:
            return self.folder_ids[path]
        parent = await self.folder(path[:-1])
        created = await self.client.docs.create_folder(
            self.workspace_id, path[-1], operator_id=self.operator_id, parent_node_id=parent
        )
        self.result.writes += 1
        self.folder_ids[path] = created.node_id
        self.result.folders_created.append("/".join(path))
        return created.node_id

    async def delete(self, node_id: str) -> None:
        await self.client.docs.delete(self.workspace_id, node_id, operator_id=self.operator_id)
        self.result.writes += 1
        for path, node in list(self.existing.items()):
            if node.node_id == node_id:
                del self.existing[path]

    async def document(self, document: KbDocument, expected_paths: set[tuple[str, ...]]) -> None:
        label = "/".join(document.path)
        record = self.state.documents.get(document.key)
        node = self.existing.get(document.path)
        if record is not None and node is not None and node.node_id == record.node_id:
            if record.digest == document.digest:
                self.result.unchanged.append(label)
                return
            await self.client.docs.overwrite_content(
                record.doc_key, document.markdown, operator_id=self.operator_id
            )
            self.result.writes += 1
            record.digest = document.digest
            self.result.updated.append(label)
            return

        replaced = False
        if record is not None and record.name != document.name:
            # The question was renamed: its old document goes, unless a source still names it.
            old_paths = [
                path for path, item in self.existing.items() if item.node_id == record.node_id
            ]
            if old_paths and old_paths[0] not in expected_paths:
                await self.delete(record.node_id)
                replaced = True
        if node is not None:
            # In the knowledge base but not in the state (a lost state file): the docKey is
            # unknown, so the document is written again from scratch.
            await self.delete(node.node_id)
            replaced = True
        parent = await self.folder(document.folders)
        created = await self.client.docs.create(
            self.workspace_id, document.name, operator_id=self.operator_id, parent_node_id=parent
        )
        doc_key = created.doc_key or created.node_id
        await self.client.docs.overwrite_content(
            doc_key, document.markdown, operator_id=self.operator_id
        )
        self.result.writes += 2
        self.state.documents[document.key] = KbRecord(
            created.node_id, doc_key, document.name, document.digest
        )
        (self.result.updated if replaced else self.result.created).append(label)


async def import_knowledge_base(
    client: AsyncDingTalk,
    documents: Sequence[KbDocument],
    *,
    operator_id: str,
    state: KbState,
    name: str = DEFAULT_KB_NAME,
    description: str = "人口普查指标解释、软件操作手册和常见问题解答",
    readers_dept_id: str | None = _ALL_STAFF_DEPT,
) -> KbImportResult:
    """Make the knowledge base ``name`` hold ``documents``; update ``state`` in place.

    Creates the workspace (readable by ``readers_dept_id``, everyone by default) and the three
    category folders when missing, creates new documents, overwrites changed ones and leaves
    unchanged ones alone, so a second import of the same sources sends no write. A document whose
    question was renamed replaces its old document. Documents that no import created are kept.
    """
    workspace, writes = await _open_workspace(
        client,
        state,
        operator_id=operator_id,
        name=name,
        description=description,
        readers_dept_id=readers_dept_id,
    )
    if state.workspace_id != workspace.workspace_id:
        state.workspace_id = workspace.workspace_id
        state.documents.clear()
    result = KbImportResult(
        workspace.workspace_id, workspace.root_node_id, workspace_created=writes > 0, writes=writes
    )
    existing = await _tree(client, workspace.root_node_id, operator_id)
    sync = _Sync(
        client, workspace, operator_id=operator_id, state=state, existing=existing, result=result
    )
    for category in CATEGORIES:
        await sync.folder((category,))
    expected_paths = {document.path for document in documents}
    for document in documents:
        await sync.document(document, expected_paths)

    known = {record.node_id for record in state.documents.values()}
    result.extra = sorted(
        "/".join(path)
        for path, node in existing.items()
        if not node.is_folder and node.node_id not in known and path not in expected_paths
    )
    return result
