"""Input checked by the pages' own forms, so a field's rules are the same on the page and in the API."""

from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError

F = TypeVar("F", bound=forms.BaseForm)


def validated(form_class: type[F], data: dict[str, Any], files: Any = None, **kwargs: Any) -> F:
    """``form_class`` bound to ``data`` and valid, or a ValidationError by field (the API answers 400
    ``invalid`` with the form's own messages)."""
    form = form_class(data=data, files=files, **kwargs)
    if not form.is_valid():
        raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
    return form
