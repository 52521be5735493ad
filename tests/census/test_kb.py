"""Knowledge-base sources and the import sync against the fake, sync and async."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from censusdt import AsyncDingTalk, DingTalk, ValidationError
from censusdt.census._async.kb import import_knowledge_base as async_import
from censusdt.census._sync.kb import import_knowledge_base
from censusdt.census.faq import FaqEntry
from censusdt.census.kb import CATEGORIES, KbDocument, KbState, faq_documents, read_source
from censusdt_fake import FakeDingTalk, VirtualClock
from censusdt_fake.models.contacts import ContactsState, User
from censusdt_fake.models.wiki import WikiState

_WRITE_PATHS = (
    "/v2.0/wiki/workspaces",
    "/v1.0/doc/workspaces/{workspaceId}/docs",
    "/v1.0/doc/workspaces/{workspaceId}/members",
    "/v1.0/doc/workspaces/{workspaceId}/docs/{nodeId}",
    "/v1.0/doc/suites/documents/{docKey}/overwriteContent",
)


def _writes(fake: FakeDingTalk) -> int:
    return sum(1 for entry in fake.calls() if entry.path in _WRITE_PATHS and entry.method != "GET")


@pytest.fixture
def curator(dingtalk_fake: FakeDingTalk) -> User:
    return dingtalk_fake.default_corp.ext(ContactsState).create_user(
        name="王主任", mobile="13800000001", dept_id_list=[1]
    )


def _faq_line(entry_id: str, question: str, answer: str, category: str = "登记原则") -> str:
    record = {"id": entry_id, "category": category, "question": question, "answer": answer}
    return json.dumps(record, ensure_ascii=False)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    folder = tmp_path / "kb"
    (folder / "指标解释").mkdir(parents=True)
    (folder / "软件操作手册" / "PAD").mkdir(parents=True)
    (folder / "指标解释" / "现住地.md").write_text("# 现住地\n\n经常居住地。\n", encoding="utf-8")
    (folder / "软件操作手册" / "PAD" / "上报.md").write_text(
        "# 上报\n\n连网后上报。\n", encoding="utf-8"
    )
    lines = [
        _faq_line("faq-1", "长表什么时候登记？", "与短表同时。"),
        _faq_line("faq-2", "家里没人怎么办？", "再约时间。", category="普查员工作"),
    ]
    (folder / "faq.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _content(fake: FakeDingTalk, node_id: str) -> str:
    return fake.default_corp.ext(WikiState).nodes[node_id].content


def test_read_source_places_documents(source: Path) -> None:
    documents = {document.path: document for document in read_source(source)}
    assert set(documents) == {
        ("指标解释", "现住地"),
        ("软件操作手册", "PAD", "上报"),
        ("问题解答", "登记原则", "长表什么时候登记？"),
        ("问题解答", "普查员工作", "家里没人怎么办？"),
    }
    assert documents[("问题解答", "登记原则", "长表什么时候登记？")].key == "faq:faq-1"


def test_markdown_outside_category_rejected(tmp_path: Path) -> None:
    (tmp_path / "杂项").mkdir()
    (tmp_path / "杂项" / "a.md").write_text("x", encoding="utf-8")
    (tmp_path / "b.md").write_text("y", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        read_source(tmp_path)
    assert sorted(error.value for error in caught.value.errors) == ["b.md", "杂项/a.md"]


def test_faq_xlsx_read(tmp_path: Path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["编号", "分类", "问题", "答案"])
    sheet.append(["q1", "自主填报", "截止哪天？", "11月10日。"])
    sheet.append([None, None, None, None])
    path = tmp_path / "faq.xlsx"
    workbook.save(path)

    (document,) = read_source(path)

    assert document.folders == ("问题解答", "自主填报")
    assert "11月10日。" in document.markdown


def test_faq_xlsx_missing_column(tmp_path: Path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["编号", "问题"])
    path = tmp_path / "faq.xlsx"
    workbook.save(path)
    with pytest.raises(ValidationError) as caught:
        read_source(path)
    assert "answer" in caught.value.errors[0].reason


def test_faq_document_keeps_answer_and_phrasings() -> None:
    entry = FaqEntry("faq-9", "", "人户分离 是什么？", "不在同一乡镇街道。", phrasings=["人户分离"])
    (document,) = faq_documents([entry])
    assert document.folders == ("问题解答", "其他")
    assert document.markdown.startswith("# 人户分离 是什么？\n")
    assert "其他问法：人户分离" in document.markdown


def test_import_builds_categories(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, curator: User, source: Path
) -> None:
    result = import_knowledge_base(
        dingtalk, read_source(source), operator_id=curator.unionid, state=KbState()
    )
    top = [
        node.name
        for node in dingtalk.wiki.list_nodes(result.root_node_id, operator_id=curator.unionid)
    ]
    assert top == list(CATEGORIES)
    assert len(result.created) == 4
    assert result.workspace_created is True


def test_second_import_writes_nothing(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, curator: User, source: Path
) -> None:
    documents = read_source(source)
    state = KbState()
    import_knowledge_base(dingtalk, documents, operator_id=curator.unionid, state=state)
    before = _writes(dingtalk_fake)

    again = import_knowledge_base(dingtalk, documents, operator_id=curator.unionid, state=state)

    assert _writes(dingtalk_fake) == before
    assert again.writes == 0
    assert len(again.unchanged) == 4
    assert again.created == []
    assert again.updated == []


def test_changed_document_updated_only(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, curator: User, source: Path, tmp_path: Path
) -> None:
    state_file = tmp_path / "state.json"
    state = KbState()
    import_knowledge_base(dingtalk, read_source(source), operator_id=curator.unionid, state=state)
    state.save(state_file)
    (source / "指标解释" / "现住地.md").write_text("# 现住地\n\n改过的解释。\n", encoding="utf-8")
    (source / "指标解释" / "常住人口.md").write_text("# 常住人口\n", encoding="utf-8")

    reloaded = KbState.load(state_file)
    result = import_knowledge_base(
        dingtalk, read_source(source), operator_id=curator.unionid, state=reloaded
    )

    assert result.updated == ["指标解释/现住地"]
    assert result.created == ["指标解释/常住人口"]
    assert len(result.unchanged) == 3
    assert result.writes == 3
    node_id = reloaded.documents["指标解释/现住地.md"].node_id
    assert _content(dingtalk_fake, node_id) == "# 现住地\n\n改过的解释。\n"


def test_renamed_question_replaces_old(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, curator: User, source: Path
) -> None:
    state = KbState()
    import_knowledge_base(dingtalk, read_source(source), operator_id=curator.unionid, state=state)
    old_node = state.documents["faq:faq-1"].node_id
    faq = source / "faq.jsonl"
    faq.write_text(
        faq.read_text(encoding="utf-8").replace("长表什么时候登记？", "长表哪天开始登记？"),
        encoding="utf-8",
    )

    result = import_knowledge_base(
        dingtalk, read_source(source), operator_id=curator.unionid, state=state
    )

    assert result.updated == ["问题解答/登记原则/长表哪天开始登记？"]
    folder = next(
        node
        for node in dingtalk.wiki.list_nodes(
            next(
                node.node_id
                for node in dingtalk.wiki.list_nodes(
                    result.root_node_id, operator_id=curator.unionid
                )
                if node.name == "问题解答"
            ),
            operator_id=curator.unionid,
        )
        if node.name == "登记原则"
    )
    names = [
        node.name for node in dingtalk.wiki.list_nodes(folder.node_id, operator_id=curator.unionid)
    ]
    assert names == ["长表哪天开始登记？"]
    assert state.documents["faq:faq-1"].node_id != old_node


def test_lost_state_rewrites_once(dingtalk: DingTalk, curator: User, source: Path) -> None:
    documents = read_source(source)
    import_knowledge_base(dingtalk, documents, operator_id=curator.unionid, state=KbState())
    fresh = KbState()

    rebuilt = import_knowledge_base(dingtalk, documents, operator_id=curator.unionid, state=fresh)
    again = import_knowledge_base(dingtalk, documents, operator_id=curator.unionid, state=fresh)

    assert rebuilt.workspace_created is False
    assert len(rebuilt.updated) == 4
    assert again.writes == 0


def test_everyone_can_read(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, curator: User, source: Path
) -> None:
    reader = dingtalk_fake.default_corp.ext(ContactsState).create_user(
        name="普查员甲", mobile="13800000009", dept_id_list=[1]
    )
    result = import_knowledge_base(
        dingtalk, read_source(source), operator_id=curator.unionid, state=KbState()
    )
    space = dingtalk.wiki.get_workspace(
        result.workspace_id, operator_id=reader.unionid, with_role=True
    )
    assert space.permission_role == "READER"


@pytest.mark.anyio
async def test_async_import_is_idempotent(
    async_dingtalk: AsyncDingTalk, dingtalk_fake: FakeDingTalk, curator: User, source: Path
) -> None:
    documents: list[KbDocument] = read_source(source)
    state = KbState()
    first = await async_import(async_dingtalk, documents, operator_id=curator.unionid, state=state)
    second = await async_import(async_dingtalk, documents, operator_id=curator.unionid, state=state)
    assert first.writes > 0
    assert second.writes == 0
    assert sorted(second.unchanged) == sorted(first.created)


_NAMES = ("甲", "乙", "丙", "丁")


def _markdown_docs() -> st.SearchStrategy[list[KbDocument]]:
    item = st.tuples(st.sampled_from(CATEGORIES[:2]), st.sampled_from(_NAMES), st.text(max_size=20))
    return st.lists(item, max_size=5, unique_by=lambda value: (value[0], value[1])).map(
        lambda items: [
            KbDocument(f"{category}/{name}.md", (category,), name, body)
            for category, name, body in items
        ]
    )


def _faq_docs() -> st.SearchStrategy[list[KbDocument]]:
    # Ids 1-3 with names from a small pool, so later rounds rename questions.
    item = st.tuples(
        st.sampled_from(["1", "2", "3"]), st.sampled_from(_NAMES), st.text(max_size=20)
    )
    return st.lists(
        item, max_size=3, unique_by=(lambda value: value[0], lambda value: value[1])
    ).map(
        lambda items: [
            KbDocument(f"faq:{entry_id}", ("问题解答", "登记原则"), name, body)
            for entry_id, name, body in items
        ]
    )


@settings(max_examples=25)
@given(
    rounds=st.lists(
        st.tuples(_markdown_docs(), _faq_docs()).map(lambda pair: pair[0] + pair[1]),
        min_size=1,
        max_size=3,
    )
)
def test_import_converges_to_sources(rounds: list[list[KbDocument]]) -> None:
    """After any import the knowledge base shows the sources, and importing again writes nothing."""
    fake = FakeDingTalk(clock=VirtualClock(start=1_700_000_000.0, frozen=True))
    owner = fake.default_corp.ext(ContactsState).create_user(
        name="王主任", mobile="13800000001", dept_id_list=[1]
    )
    app = fake.default_app
    state = KbState()
    with DingTalk(
        app.app_key,
        app.app_secret,
        transport=fake.transport(),
        clock=fake.clock,
        sleep=fake.clock.sleep,
    ) as client:
        for documents in rounds:
            import_knowledge_base(client, documents, operator_id=owner.unionid, state=state)
            for document in documents:
                node = client.wiki.get_node(
                    state.documents[document.key].node_id, operator_id=owner.unionid
                )
                assert node.name == document.name
                assert _content(fake, node.node_id) == document.markdown
            again = import_knowledge_base(client, documents, operator_id=owner.unionid, state=state)
            assert again.writes == 0
