"""What django-axes counts failed sign-ins against: the account, however its login is typed.

Sign-in accepts the username or the e-mail address in any letter case (accounts.backends), so
counting per exact text would give ``OTHERMEM``, ``Othermem`` and ``othermem@…`` each their own tries,
and the right password typed in another case would pass during a lockout. The key is the account's own
username, case-folded, when the login names an account, else the typed login normalised (NFC,
case-folded, trimmed), so unknown logins are counted the same way.
"""

import unicodedata
from typing import Any

from django.contrib.auth import get_user_model


def normalised(login: str) -> str:
    return unicodedata.normalize("NFC", login).strip().casefold()


def lockout_key(request: Any, credentials: dict[str, Any] | None = None) -> str | None:
    """settings.AXES_USERNAME_CALLABLE: the login of an attempt as django-axes should count it."""
    if credentials is not None:
        login = credentials.get("username")
    else:
        login = getattr(request, "POST", {}).get("username")
    if not login:
        return None
    login = unicodedata.normalize("NFC", str(login)).strip()
    field = "email__iexact" if "@" in login else "username__iexact"
    username = get_user_model().objects.filter(**{field: login}).values_list("username", flat=True).first()
    return normalised(username if username is not None else login)
