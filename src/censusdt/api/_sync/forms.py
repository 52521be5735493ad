# Generated from the _async package by tools/gen_sync.py; edit the async source instead.
"""Typed calls for smart forms: list forms, list and read form instances."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from censusdt._sync.pagination import Paginator
from censusdt._converters import new_converter
from censusdt._errors import FieldError, ValidationError
from censusdt._pages import Page
from censusdt.api.forms import (
    FORMS_LIST,
    FORMS_PAGE_MAX,
    INSTANCE_GET,
    INSTANCES_LIST,
    INSTANCES_PAGE_MAX,
    FormField,
    FormInstance,
    FormSchema,
    swform_page,
)

if TYPE_CHECKING:
    from censusdt._sync.client import DingTalk

__all__ = ["Forms"]


class Forms:
    """Smart forms (智能填表) made with the legacy form UI."""

    def __init__(self, client: DingTalk) -> None:
        self._client = client

    def list_forms(
        self,
        *,
        creator: str | None = None,
        biz_type: int = 0,
        page_size: int = FORMS_PAGE_MAX,
    ) -> Paginator[FormSchema]:
        """Iterate the forms created by ``creator`` (a userId), ``page_size`` per call (≤200)."""
        _check_page_size(page_size, FORMS_PAGE_MAX)

        def fetch_page(cursor: Any) -> Page[FormSchema]:
            params: dict[str, Any] = {
                "maxResults": page_size,
                "nextToken": cursor if cursor is not None else 0,
                "bizType": biz_type,
            }
            if creator is not None:
                params["creator"] = creator
            body = self._client.request(FORMS_LIST, params=params)
            page: Page[FormSchema] = swform_page(body, FormSchema)
            return page

        return Paginator(fetch_page)

    def list_instances(
        self,
        form_code: str,
        *,
        biz_type: int = 0,
        action_date: str | None = None,
        page_size: int = INSTANCES_PAGE_MAX,
    ) -> Paginator[FormInstance]:
        """Iterate a form's submissions, ``page_size`` per call (≤100).

        ``action_date`` (``yyyy-MM-dd``) picks one day of a periodic form.
        """
        _check_page_size(page_size, INSTANCES_PAGE_MAX)
        if not form_code:
            raise ValidationError([FieldError("form_code", form_code, "expected a form code")])

        def fetch_page(cursor: Any) -> Page[FormInstance]:
            params: dict[str, Any] = {
                "maxResults": page_size,
                "nextToken": cursor if cursor is not None else 0,
                "bizType": biz_type,
            }
            if action_date is not None:
                params["actionDate"] = action_date
            body = self._client.request(
                INSTANCES_LIST, params=params, path_params={"formCode": form_code}
            )
            page: Page[FormInstance] = swform_page(body, FormInstance)
            return page

        return Paginator(fetch_page)

    def get_instance(self, form_instance_id: str, *, biz_type: int = 0) -> FormInstance:
        """Read one submission; GetFormInstance names the submitter ``creator``."""
        body = self._client.request(
            INSTANCE_GET,
            params={"bizType": biz_type},
            path_params={"formInstanceId": form_instance_id},
        )
        result = body.get("result") or {}
        return FormInstance(
            form_instance_id=form_instance_id,
            form_code=str(result.get("formCode", "")),
            title=result.get("title"),
            create_time=result.get("createTime"),
            modify_time=result.get("modifyTime"),
            submitter_user_id=result.get("creator"),
            forms=[new_converter.structure(item, FormField) for item in result.get("forms") or []],
        )


def _check_page_size(page_size: int, maximum: int) -> None:
    if (
        isinstance(page_size, bool)
        or not isinstance(page_size, int)
        or not 1 <= page_size <= maximum
    ):
        raise ValidationError(
            [FieldError("page_size", page_size, f"expected an integer from 1 to {maximum}")]
        )
