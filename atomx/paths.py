"""The path rule: what a part of a resource path may be, checked before any request.

A request's path is the endpoint's URL followed by path parts joined with
``/``.  A part is one segment or several separated by ``/``; each segment is
made of the characters a resource name or an id has: ASCII letters, digits,
``-``, ``_``, ``.``, ``~`` and ``,``, and is neither ``.`` nor ``..``.  Anything
else (``?``, ``#``, ``%``, spaces, control characters, other letters) is a
:class:`ValueError` before any request, rather than being percent-encoded:
no such name or id exists in the API, so the value is a mistake (or an
attack), and refusing it means that no request ever leaves the endpoint's path
prefix nor gains a query or a fragment.  Ids (a model's, an id argument) are
one segment: an int, or a str of those characters.
"""
from __future__ import annotations

import re
from typing import Any

_SEGMENT = re.compile(r'[A-Za-z0-9_.~,-]+')
#: A whole path without a dot: it keeps the rule (the common case, checked at once).
_PLAIN_PATH = re.compile(r'[A-Za-z0-9_~,-]+(?:/[A-Za-z0-9_~,-]+)*')
_DOT_SEGMENTS = frozenset({'.', '..'})
_ALLOWED = "ASCII letters, digits and - _ . ~ , (and not '.' or '..')"


def segment_problem(segment: str) -> str:
    """What is wrong with one path segment, or ``''`` when nothing is.

    :param segment: the text between two slashes.
    :returns: the reason, to be put into an error message.
    """
    if not segment:
        return 'an empty segment (two slashes in a row)'
    if segment in _DOT_SEGMENTS:
        return f'the segment {segment!r}, which would climb the path'
    if _SEGMENT.fullmatch(segment) is None:
        return f'a segment made of other characters than {_ALLOWED}'
    return ''


def check_path_text(text: str) -> str:
    """Check a str path part: one segment or several separated by ``/``.

    :param text: the part as the caller gave it; slashes around it are stripped.
    :returns: the part without the slashes around it.
    :raises ValueError: the part is empty or a segment breaks the path rule
        (see the module's docstring); the message says which and what is allowed.
    """
    stripped = text.strip('/')
    if _PLAIN_PATH.fullmatch(stripped) is not None:  # the common case, at once
        return stripped
    if not stripped:
        raise ValueError('a resource path part must not be empty')
    problem = next(filter(None, map(segment_problem, stripped.split('/'))), '')
    if problem:
        raise ValueError(f'resource path part {text!r} has {problem}; a part is one segment '
                         f"or several separated by '/', each made of {_ALLOWED}")
    return stripped


def id_problem(value: Any) -> str:
    """What keeps ``value`` from being an id in a path, or ``''`` when nothing does.

    :param value: an id: an int (not a bool) or a str that is one segment.
    :returns: the reason, to be put into an error message.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return ''
    if isinstance(value, str):
        problem = segment_problem(value)
        return f'the id {value!r} is {problem}' if problem else ''
    return f'the id {value!r} is a {type(value).__name__}, not an int or a str'


def check_id(value: Any) -> str:
    """An id as it goes into a path.

    :param value: an int (not a bool) or a str that is one segment.
    :returns: the id as text.
    :raises ValueError: a str that is not one segment of the path rule.
    :raises TypeError: any other type (``None``, a float, a list...).
    """
    problem = id_problem(value)
    if problem:
        raise (ValueError if isinstance(value, str) else TypeError)(
            f'{problem}; an id is an int or one path segment ({_ALLOWED})')
    return str(value)


__all__ = ['check_id', 'check_path_text', 'id_problem', 'segment_problem']
