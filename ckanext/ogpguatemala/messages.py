"""User-facing messages, through the extension's gettext catalogue.

Message ids are English; the Spanish catalogue is ``i18n/es/LC_MESSAGES/
ckanext-ogpguatemala.po`` (template: ``i18n/ckanext-ogpguatemala.pot``,
``make i18n`` extracts, updates and compiles). CKAN renders them in the
request's language: the UI locale, or the ``/en/`` URL prefix, and the
portal's default (Spanish) for API calls without one and CLI commands;
background jobs record theirs in the portal's default language
(:func:`in_default_language`).

Two ways to write a message:

- in CKAN-facing code (validators, actions, views), translate at once with
  CKAN's gettext (``tk._`` of an English id with ``%(name)s`` placeholders,
  then ``%`` the values) or :func:`translate`;
- in pure modules (``tabular``, ``oc4ids``, ``geo``) that must not import
  CKAN, or for results stored to be shown later in whatever language the
  reader uses, build a :class:`Msg` from an id marked with :func:`N_`.
  It travels as ``{"msgid", "params"}`` and :func:`render` translates it
  when shown. Params may themselves be messages (a field label, say).
"""
from __future__ import annotations

import contextlib
import contextvars
import functools
import gettext
import os
from typing import Any, Mapping, NamedTuple


def N_(msgid: str) -> str:
    """Marks ``msgid`` for extraction (``pybabel extract -k N_``); no-op."""
    return msgid


class Msg(NamedTuple):
    """A message to translate later: its id and the values it names."""

    msgid: str
    params: Mapping[str, Any] = {}

    def as_dict(self) -> dict:
        return {"msgid": self.msgid, "params": {k: _plain(v) for k, v in self.params.items()}}

    def __str__(self) -> str:
        return render(self)


def _plain(value):
    return value.as_dict() if isinstance(value, Msg) else value


I18N_DIR = os.path.join(os.path.dirname(__file__), "i18n")
DOMAIN = "ckanext-ogpguatemala"
_default_language = contextvars.ContextVar("ogp_default_language", default=False)


@functools.lru_cache(maxsize=8)
def _catalogue(lang: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, I18N_DIR, [lang], fallback=True)


@contextlib.contextmanager
def in_default_language():
    """Render messages in the portal's default language
    (``ckan.locale_default``) where there is no request to take one from:
    background jobs record their messages this way."""
    token = _default_language.set(True)
    try:
        yield
    finally:
        _default_language.reset(token)


def _gettext(msgid: str) -> str:
    """CKAN's gettext: the request's language in a web request (or a CLI
    command, which runs in one); otherwise, like CKAN, the English id —
    unless inside :func:`in_default_language`."""
    try:
        import flask

        from ckan.common import _, config
    except ImportError:  # no CKAN: the English id
        return msgid
    if flask.has_request_context():
        return _(msgid)
    if _default_language.get():
        return _catalogue(config.get("ckan.locale_default") or "en").gettext(msgid)
    return msgid


def render(message) -> str:
    """The message in the current language. Accepts a :class:`Msg`, its
    dict form ``{"msgid", "params"}``, or a plain string (returned as is)."""
    if isinstance(message, Msg):
        msgid, params = message.msgid, message.params
    elif isinstance(message, Mapping) and "msgid" in message:
        msgid, params = message["msgid"], message.get("params") or {}
    elif message is None:
        return ""
    else:
        return str(message)
    text = _gettext(msgid)
    if not params:
        return text
    values = {k: render(v) if isinstance(v, (Msg, Mapping)) else v for k, v in params.items()}
    try:
        return text % values
    except (KeyError, TypeError, ValueError):
        # A translation that names a placeholder the id does not: fall back
        # to the id rather than fail where the message is shown.
        return msgid % values


def translate(msgid: str, **params) -> str:
    """``tk._(msgid) % params`` in one call (params may be messages)."""
    return render(Msg(msgid, params))
