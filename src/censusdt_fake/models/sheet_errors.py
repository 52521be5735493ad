"""Errors of DingTalk's online-sheet endpoints, each with its HTTP status, code and message.

The codes and the fixed messages are the ones DingTalk documents for the doc_1.0 workbook
endpoints. Where DingTalk documents the message only as ``%s``, the text here is ours.
"""

from __future__ import annotations

from censusdt_fake._errors import NewApiError

__all__ = [
    "AccessDenied",
    "DocumentSizeOverLimit",
    "InvalidInputArgs",
    "OperationIllegal",
    "OperatorIdIllegal",
    "ResourceNotFound",
    "SheetError",
    "WorkbookIdIllegal",
]


class SheetError(NewApiError):
    """Base of the online-sheet errors; ``status``, ``code`` and ``message`` go on the wire."""

    status_code: int = 400
    error_code: str = ""

    def __init__(self, message: str) -> None:
        super().__init__(self.status_code, self.error_code, message)


class InvalidInputArgs(SheetError):
    """400: a bad range address, a matrix of the wrong dimensions, a bad colour and the like."""

    status_code = 400
    error_code = "invalidRequest.inputArgs.invalid"


class WorkbookIdIllegal(SheetError):
    """400: the workbook id is malformed."""

    status_code = 400
    error_code = "invalidRequest.inputArgs.workbookIdIllegal"

    def __init__(self, message: str = "The workbookId is illegal.") -> None:
        super().__init__(message)


class OperatorIdIllegal(SheetError):
    """400: the operatorId is malformed."""

    status_code = 400
    error_code = "invalidRequest.inputArgs.operatorIdIllegal"

    def __init__(self, message: str = "The operatorId is illegal.") -> None:
        super().__init__(message)


class AccessDenied(SheetError):
    """403: the operator may not read or write this workbook."""

    status_code = 403
    error_code = "forbidden.accessDenied"

    def __init__(self, message: str = "The operator has no permission.") -> None:
        super().__init__(message)


class OperationIllegal(SheetError):
    """403: an operation the sheet does not allow, such as deleting its only sheet."""

    status_code = 403
    error_code = "forbidden.operationIllegal"


class DocumentSizeOverLimit(SheetError):
    """403: the write would make the workbook larger than its size limit."""

    status_code = 403
    error_code = "forbidden.document.sizeOverLimit"

    def __init__(
        self,
        message: str = (
            "The document size is over limit and the server is unable to complete your request. "
            "Retry is unlikely to work unless the document size is decreased."
        ),
    ) -> None:
        super().__init__(message)


class ResourceNotFound(SheetError):
    """404: no such workbook or sheet, or a range outside the sheet."""

    status_code = 404
    error_code = "invalidRequest.resource.notFound"
