from django import forms

from . import parsers
from .errors import ApplicationError
from .parsers import org_unit_model

# The browser's date picker, with the value written the way it reads it.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def validate_calendar_date(value) -> None:
    """Every date a form takes lies between 1800 and 2100 (the same bounds as the API and the importers)."""
    if value is not None:
        parsers.form_clean(parsers.calendar_date)(value)


def apply_errors(form: forms.Form, error: ApplicationError, rename: dict[str, str] | None = None) -> None:
    """Put a service's error on the form: field messages on their fields, the rest on top."""
    rename = rename or {}
    placed = False
    for name, messages in error.fields.items():
        target = rename.get(name, name)
        if target in form.fields:
            for message in messages:
                form.add_error(target, message)
            placed = True
        else:
            for message in messages:
                form.add_error(None, message)
    if not placed or error.message != type(error).default_message:
        form.add_error(None, error.message)


def form_errors_message(form: forms.Form, prefix: str, separator: str = "：") -> str:
    """One flash message for an invalid form: ``prefix`` then each field's label and first message."""
    labels = {name: field.label for name, field in form.fields.items()}
    return prefix + "；".join(f"{labels[k]}{separator}{v[0]}" if k in labels else v[0] for k, v in form.errors.items())


def error_message(error: ApplicationError) -> str:
    """One flash message for a service's error: its message, then the field messages that add to it."""
    details = [m for ms in error.fields.values() for m in ms if m != error.message]
    return error.message + ("：" + "；".join(details) if details else "")


def _cleaning(to_python):
    """A text field's ``to_python`` followed by the one text cleaning of every entry point (``clean_text``)."""

    def clean(value):
        value = to_python(value)
        if not isinstance(value, str):
            return value
        try:
            return parsers.clean_text(value)
        except parsers.ParseError as exc:
            raise forms.ValidationError(str(exc), code="control_characters") from exc

    return clean


class TablerFormMixin:
    """Give widgets Tabler's classes so that templates render fields uniformly, and each field its label as
    accessible name (``aria-label``): compact inline forms render a field without a visible ``<label>``, and
    the shared field template shows the same label text. Every date field is bounded (1800–2100) and a number
    that may not be negative says so in the shared words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.validators.append(validate_calendar_date)
            if getattr(field, "min_value", None) == 0:
                field.error_messages["min_value"] = parsers.NEGATIVE
            if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput):
                field.to_python = _cleaning(field.to_python)
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if field.label:
                widget.attrs.setdefault("aria-label", str(field.label))


class BusinessForm(TablerFormMixin, forms.ModelForm):
    """A ModelForm for a business record: carries ``version`` and limits ``org_unit`` to units the
    user may write to."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for name, field in self.fields.items():
            model_field = next((f for f in self._meta.model._meta.fields if f.name == name), None)
            if model_field is not None and parsers.validate_not_negative in model_field.validators:
                field.widget.attrs.setdefault("min", "0")
        if "org_unit" in self.fields and user is not None and user.org_unit_id:
            self.fields["org_unit"].queryset = org_unit_model().objects.filter(id__in=user.org_unit.subtree_ids())
            self.fields["org_unit"].initial = user.org_unit_id
            self.fields["org_unit"].required = False
            self.fields["org_unit"].empty_label = "本单位"

    def clean_org_unit(self):
        unit = self.cleaned_data.get("org_unit")
        if unit is None:
            return self.instance.org_unit if self.instance.pk else getattr(self.user, "org_unit", None)
        return unit

    def clean_version(self):
        version = self.cleaned_data.get("version")
        if self.instance.pk and version is None:
            raise forms.ValidationError("缺少版本号，请刷新页面后重试")
        return version
