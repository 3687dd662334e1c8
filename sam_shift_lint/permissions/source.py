"""Reading the templates named on the command line (regular files only, size-limited, as every file the
tool reads: :mod:`sam_shift_lint.parsing.document`), and translating them."""
from __future__ import annotations

from typing import Any

from sam_shift_lint.parsing.document import load
from sam_shift_lint.parsing.errors import DocumentError, shorten
from sam_shift_lint.permissions.translate import Translated, TranslationError, transforms_of, translate

LANGUAGE_EXTENSIONS = "AWS::LanguageExtensions"


class TemplateError(Exception):
    """The template cannot be used: ``str(error)`` is one line, without the file name."""


def read_template(path: str) -> dict[str, Any]:
    try:
        data = load(path).data()
    except DocumentError as error:
        raise TemplateError(str(error)) from None
    if not isinstance(data, dict):
        raise TemplateError("not a CloudFormation template (not a mapping)")
    if not isinstance(data.get("Resources"), dict):
        raise TemplateError("not a CloudFormation template (no Resources mapping)")
    return data


def translated_template(path: str, region: str, parameters: dict[str, str] | None = None) -> Translated:
    data = read_template(path)
    try:
        return translate(data, region, parameters)
    except TranslationError as error:
        hint = " (AWS::LanguageExtensions is not expanded offline)" if LANGUAGE_EXTENSIONS in transforms_of(data) else ""
        raise TemplateError(shorten(str(error), 300 - len(hint)) + hint) from None
    except RecursionError:
        raise TemplateError("nesting too deep to translate") from None
