"""A ``requests`` session for the integration tests, with paths relative to ``/v3``."""
from __future__ import annotations

from typing import Any

import requests


class Client(requests.Session):
    """A ``requests`` session whose paths are relative to the sandbox's ``/v3``."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url

    def request(self, method: str, path: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        kwargs.setdefault('timeout', 10)
        target = path if path.startswith('http') else f'{self.url}/{path.lstrip("/")}'
        return super().request(method, target, *args, **kwargs)

    def login(self, email: str, password: str, **extra: Any) -> dict:
        """Log in and send the token from now on; returns the login answer."""
        answer = self.post('login', json={'email': email, 'password': password, **extra})
        assert answer.status_code == 200, answer.text
        self.headers['Authorization'] = 'Bearer ' + answer.json()['auth_token']
        return answer.json()
