"""Tests for the smart-form calls against the fake, sync and async."""

from __future__ import annotations

import datetime as dt

import pytest

from censusdt import APIError, AsyncDingTalk, DingTalk, ValidationError
from censusdt.api.forms import parse_form_time
from censusdt_fake import FakeDingTalk
from censusdt_fake.models.forms import FormsState


def _seed(fake: FakeDingTalk, count: int) -> str:
    state = fake.default_corp.ext(FormsState)
    form = state.add_form("摸底日报", creator="office1", labels=["区划代码", "户数"], now_ms=0)
    for index in range(count):
        state.submit(
            form.form_code,
            user_id=f"user{index}",
            user_name=f"村{index}",
            values={"区划代码": f"370783001{index:03d}", "户数": index},
            now_ms=fake.clock.now_ms(),
        )
    return form.form_code


def test_list_instances_walks_every_page(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    form_code = _seed(dingtalk_fake, 7)

    instances = list(dingtalk.forms.list_instances(form_code, page_size=3))

    assert [item.value("户数") for item in instances] == [str(index) for index in range(7)]
    assert len(dingtalk_fake.calls("/v1.0/swform/forms/{formCode}/instances")) == 3
    assert instances[0].submitter_user_name == "村0"
    assert instances[0].as_dict()["区划代码"] == "370783001000"


def test_list_forms_by_creator(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    _seed(dingtalk_fake, 0)
    state = dingtalk_fake.default_corp.ext(FormsState)
    state.add_form("别人的表", creator="other", labels=["x"], now_ms=0)

    mine = list(dingtalk.forms.list_forms(creator="office1"))
    everyone = list(dingtalk.forms.list_forms())

    assert [form.name for form in mine] == ["摸底日报"]
    assert len(everyone) == 2
    assert mine[0].setting.form_type == 0


def test_get_instance_reads_creator(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    form_code = _seed(dingtalk_fake, 2)
    listed = list(dingtalk.forms.list_instances(form_code))

    single = dingtalk.forms.get_instance(listed[1].form_instance_id)

    assert single.submitter_user_id == "user1"
    assert single.forms == listed[1].forms
    assert single.form_code == form_code


def test_unknown_form_raises_dingtalk_error(dingtalk: DingTalk) -> None:
    with pytest.raises(APIError) as raised:
        list(dingtalk.forms.list_instances("PROC-NONE"))

    assert raised.value.code == "swform.listFormInstances.paramError"
    assert raised.value.message == "invalid form_code"


def test_page_size_checked_before_sending(dingtalk: DingTalk) -> None:
    with pytest.raises(ValidationError) as raised:
        dingtalk.forms.list_instances("PROC-1", page_size=101)

    assert raised.value.errors[0].field == "page_size"


def test_parse_form_time_is_shanghai() -> None:
    moment = parse_form_time("2022-07-29T14:55Z")

    assert moment.utcoffset() == dt.timedelta(hours=8)
    assert (moment.hour, moment.minute) == (22, 55)


@pytest.mark.anyio
async def test_async_list_instances(
    async_dingtalk: AsyncDingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    form_code = _seed(dingtalk_fake, 5)

    instances = await async_dingtalk.forms.list_instances(form_code, page_size=2).collect()

    assert len(instances) == 5
    assert {item.submitter_user_id for item in instances} == {f"user{i}" for i in range(5)}
