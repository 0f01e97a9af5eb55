"""The API's request parser: ninja's, with the one text cleaning (``core.parsers.clean_text``) applied to every
string of every JSON body, query string and form before the schemas see it. A control character is a 422
naming the field; passwords and one-time codes are left exactly as typed."""

import functools

from ninja.errors import ValidationError
from ninja.parser import Parser

from zhaoshang.core import parsers


def _clean(value, loc: tuple, errors: list):
    if isinstance(value, str):
        if loc and isinstance(loc[-1], str) and parsers.is_secret_name(loc[-1]):
            return value
        try:
            return parsers.clean_text(value)
        except parsers.ParseError as exc:
            errors.append({"loc": loc, "type": "value_error", "msg": str(exc), "ctx": {"error": str(exc)}})
            return value
    if isinstance(value, dict):
        return {key: _clean(item, (*loc, key), errors) for key, item in value.items()}
    if isinstance(value, list):
        return [_clean(item, (*loc, index), errors) for index, item in enumerate(value)]
    return value


class CleaningParser(Parser):
    def parse_body(self, request):
        # ninja turns any exception raised here into a 400 "cannot parse": the refusals wait on the request for
        # ``refuse_unclean_text``, which answers 422 with them before the operation runs.
        errors: list = []
        data = _clean(super().parse_body(request), ("body",), errors)
        request.zs_text_errors = errors
        return data

    def parse_querydict(self, data, list_fields, request):  # raised here, ninja's 422 handler answers
        errors: list = []
        cleaned = _clean(super().parse_querydict(data, list_fields, request), ("query",), errors)
        if errors:
            raise ValidationError(errors)
        return cleaned


def refuse_unclean_text(view_func):
    """API-wide decorator (mode "operation", after the input is read): a body with a control character in any
    string is a 422 naming the field, and the operation does not run."""

    @functools.wraps(view_func)
    def checked(request, *args, **kwargs):
        if errors := getattr(request, "zs_text_errors", None):
            raise ValidationError(errors)
        return view_func(request, *args, **kwargs)

    return checked
